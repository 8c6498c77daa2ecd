import Foundation

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
                throw DatasetInputError(
                    path: path,
                    "no such file or folder; check the path (relative paths are taken from the current folder)")
            }
            if isDirectory.boolValue {
                resolved += folderInputs(path)
                continue
            }
            guard let kind = InputKind.of(fileName: path) else {
                throw DatasetInputError(
                    path: path,
                    "cannot tell what kind of input this is; name it .jsonl, .jsonl.lz4, .csv, .tsv or .tar, or pass a folder of images"
                )
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
