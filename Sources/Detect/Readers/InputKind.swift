import Foundation

/// The kinds of dataset input `curate` reads.
public enum InputKind: String, Sendable, Hashable, CaseIterable {
    /// JSON Lines: `.jsonl`, `.ndjson`, `.json` (one object per line), optionally `.lz4`.
    case jsonl
    /// Comma-separated values with a header, optionally `.lz4`.
    case csv
    /// Tab-separated values with a header, optionally `.lz4`.
    case tsv
    /// A folder of images with sidecar captions or a `metadata.jsonl`/`metadata.csv`.
    case folder
    /// A webdataset tar shard (`.tar`, `.tar.gz`, `.tgz`).
    case webdataset

    /// The kind a file name implies, or nil.
    public static func of(fileName: String) -> InputKind? {
        var lower = fileName.lowercased()
        if lower.hasSuffix(".tar") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return .webdataset }
        if lower.hasSuffix(".lz4") { lower.removeLast(4) }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".tsv") { return .tsv }
        return nil
    }
}
