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

/// One input file or folder with its kind, after brace and glob expansion.
public struct DatasetInput: Sendable, Hashable {
    public var path: String
    public var kind: InputKind

    public init(path: String, kind: InputKind) {
        self.path = path
        self.kind = kind
    }

    /// Expands `input` (braces, globs, a folder of shards) and tells each resulting path's kind.
    ///
    /// A folder holding `.tar` files and no images or metadata at its top level is read as its shards in
    /// name order. - Throws: `DatasetInputError` when nothing exists at the input or its kind cannot be told.
    public static func resolve(_ input: String) throws(DatasetInputError) -> [DatasetInput] {
        let paths = try InputPattern.expand(input)
        var resolved: [DatasetInput] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw DatasetInputError(path: path, "no such file or folder; check the path (relative paths are taken from the current folder)")
            }
            if isDirectory.boolValue {
                resolved += folderInputs(path)
                continue
            }
            guard let kind = InputKind.of(fileName: path) else {
                throw DatasetInputError(path: path, "cannot tell what kind of input this is; name it .jsonl, .jsonl.lz4, .csv, .tsv or .tar, or pass a folder of images")
            }
            resolved.append(DatasetInput(path: path, kind: kind))
        }
        return resolved
    }

    private static func folderInputs(_ path: String) -> [DatasetInput] {
        if FolderReader.hasMetadata(path) { return [DatasetInput(path: path, kind: .folder)] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let shards = names.filter { !$0.hasPrefix(".") && InputKind.of(fileName: $0) == .webdataset }
        let images = names.contains { FolderReader.imageExtensions.contains(FolderReader.splitExtension($0).1) }
        guard !shards.isEmpty, !images else { return [DatasetInput(path: path, kind: .folder)] }
        return shards.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
            .map { DatasetInput(path: (path as NSString).appendingPathComponent($0), kind: .webdataset) }
    }
}
