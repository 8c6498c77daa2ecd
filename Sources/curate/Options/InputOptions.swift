import ArgumentParser
import Curate
import Detect
import Foundation

/// The input options every command that reads a dataset takes (DESIGN.md, "Commands").
struct InputOptions: ParsableArguments {
    @Argument(help: "Manifests (.jsonl, .jsonl.lz4, .csv, .tsv), image folders, or webdataset shards (*.tar, {000..009} lists).")
    var inputs: [String]

    @Option(help: "Image embeddings: a .npy [N, D] file or a folder of .npy shards, row i = sample i.")
    var embeddings: String?

    @Option(help: "Object tags JSONL: {\"key\": ..., \"objects\": [\"flag\", ...]} per line.")
    var objects: String?

    @Option(help: "Concept embeddings .npy [K, D] in the image embeddings' space, for zero-shot objects.")
    var concepts: String?

    @Option(name: .customLong("concept-labels"), help: "Labels of the concept embeddings, one per line.")
    var conceptLabels: String?

    @Option(help: "The feature index (default: .curate/index.sqlite beside the first input).")
    var index: String?

    @Option(name: .customLong("key-field"), help: "Manifest field holding the sample key (any letter case).")
    var keyField: String?

    @Option(name: .customLong("image-field"), help: "Manifest field holding the image path (any letter case).")
    var imageField: String?

    @Option(name: .customLong("caption-field"), help: "Manifest field holding the caption (any letter case).")
    var captionField: String?

    @Option(
        name: .customLong("image-root"),
        help: ArgumentHelp(
            "Folder that manifests' image paths resolve against and must stay inside (default: the manifest's folder).",
            discussion: "Use it when a cleaned manifest is read from its output folder, or for absolute paths elsewhere"
                + " ('--image-root /' reads any absolute path)."))
    var imageRoot: String?

    // `.unconditional`: `--jobs -3` is the value -3 (refused below as not positive), not a missing value.
    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).")
    var jobs: Int?

    @Option(help: "scan only: decode shard I of N (I/N, 0-based) to split a scan across machines (see index merge).")
    var shard: String?

    var fieldNames: FieldNames { FieldNames(key: keyField, image: imageField, caption: captionField) }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be a positive integer (1 or more), got \(jobs).") }
        if shard != nil, parsedShard == nil {
            throw ValidationError("--shard takes I/N with 0 ≤ I < N, for example --shard 0/4; got '\(shard!)'.")
        }
        if (concepts == nil) != (conceptLabels == nil) {
            throw ValidationError("--concepts and --concept-labels go together; give both or neither.")
        }
        if concepts != nil, embeddings == nil {
            throw ValidationError("--concepts needs --embeddings: concepts are matched against the image embeddings.")
        }
        for input in inputs {
            if !input.contains("{") && !input.contains("*") && !input.contains("?") {
                if !FileManager.default.fileExists(atPath: input) {
                    throw ValidationError("No such input: \(input). Give a manifest, an image folder or tar shards.")
                }
            } else {
                // A shard list naming a missing shard, or a glob matching nothing, is a mistyped argument too.
                do {
                    _ = try DatasetInput.resolve(input)
                } catch {
                    throw ValidationError("\(error)")
                }
            }
        }
        if let imageRoot {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: imageRoot, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--image-root must be an existing folder; \(imageRoot) is not one.")
            }
        }
        // A mistyped side-file path is a usage error; a side file that exists but is bad stays an input problem.
        let sideFiles = [
            ("--embeddings", embeddings), ("--objects", objects), ("--concepts", concepts),
            ("--concept-labels", conceptLabels),
        ]
        for case let (option, path?) in sideFiles where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError(
                "No such file for \(option): \(path). Check the path (relative to the current folder).")
        }
        if let index { try Self.checkIndexPath(index) }
        // A manifest whose header names no image field would give one missing_field problem per row and nothing to
        // analyse: a usage error, said once, with the columns it has.
        for input in inputs {
            for resolved in (try? DatasetInput.resolve(input)) ?? [] {
                do {
                    try resolved.checkImageField(fields: fieldNames)
                } catch {
                    throw ValidationError(TerminalText.inert("\(error)."))
                }
            }
        }
    }

    /// `--index` names a file: a folder there is a usage error (SQLite cannot open it, and the run would fail later).
    static func checkIndexPath(_ index: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: index, isDirectory: &isFolder), isFolder.boolValue else { return }
        throw ValidationError(
            "--index names a file (an SQLite index, created if missing); \(index) is a folder."
                + " Give a file path such as \((index as NSString).appendingPathComponent("index.sqlite")).")
    }

    /// Commands that analyse the data refuse `--shard`: an audit of part of the images would miss the duplicates
    /// across parts, and pass a `--fail-on` gate on data it never looked at.
    func refuseShard(command: String) throws {
        guard shard != nil else { return }
        throw ValidationError(
            "--shard splits a scan only (curate scan … --shard I/N on each machine, then curate index merge);"
                + " \(command) reads every sample. Drop --shard, and give --index the merged index.")
    }

    var parsedShard: (index: Int, count: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n > 0, i >= 0, i < n else { return nil }
        return (i, n)
    }

    /// `.curate/index.sqlite` beside the first input: the index when neither `--index` nor an earlier run names one.
    var defaultIndexPath: String {
        (inputFolder as NSString).appendingPathComponent(".curate/index.sqlite")
    }

    /// The folder of the first input (the input itself when it is a folder).
    private var inputFolder: String {
        let first = inputs.first ?? "."
        var isFolder: ObjCBool = false
        let folder: String
        if FileManager.default.fileExists(atPath: first, isDirectory: &isFolder), isFolder.boolValue {
            folder = first
        } else {
            folder = (first as NSString).deletingLastPathComponent
        }
        return folder.isEmpty ? "." : folder
    }

    /// What the `run.json` beside the first input says about the run that wrote it, when there is one.
    var earlierRun: EarlierRun? { EarlierRun(folder: inputFolder) }

    var scanOptions: ScanOptions {
        var options = ScanOptions()
        if let jobs { options.jobs = jobs }
        options.shard = parsedShard
        return options
    }
}

/// How results are shown.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print machine-readable results on stdout.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr.")
    var quiet = false
}
