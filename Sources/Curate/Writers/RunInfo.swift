import Detect
import Foundation

/// `run.json`: what produced an output folder, so a run can be repeated and compared.
public struct RunInfo: Sendable, Hashable {
    /// One input file and the digest of its bytes.
    public struct Input: Sendable, Hashable {
        public var path: String
        public var digest: String
        public var bytes: Int

        public init(path: String, digest: String, bytes: Int) {
            self.path = path
            self.digest = digest
            self.bytes = bytes
        }

        /// Reads the file and digests it (FNV-1a 64 over its bytes, streamed).
        public static func of(path: String) throws(OutputError) -> Input {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw OutputError(path: path, operation: "read the input to digest it", message: "cannot open the file")
            }
            defer { try? handle.close() }
            var hasher = FNV1a64()
            var bytes = 0
            while true {
                let chunk: Data
                do {
                    guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { break }
                    chunk = data
                } catch {
                    throw OutputError(
                        path: path, operation: "read the input to digest it", message: "\(error.localizedDescription)")
                }
                // Through a raw buffer: iterating `Data` byte by byte ran at ~200 MB/s, which a 1.5 GB embeddings
                // file turned into seconds.
                chunk.withUnsafeBytes { hasher.combine(bytes: $0) }
                bytes += chunk.count
            }
            return Input(path: path, digest: "fnv1a64:" + hex64(hasher.value), bytes: bytes)
        }

        /// Maps the file and digests it with XXH3-128 (`xxh3-128:` and 32 hex digits): for the side files, where an
        /// embeddings folder can hold gigabytes that FNV-1a (~0.8 GB/s) would add seconds to every run for.
        public static func mapped(path: String) throws(OutputError) -> Input {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } catch {
                throw OutputError(
                    path: path, operation: "read the input to digest it", message: "\(error.localizedDescription)")
            }
            return Input(path: path, digest: "xxh3-128:\(ContentHash(of: data))", bytes: data.count)
        }
    }

    /// A file given beside the inputs, and what it was given as (`embeddings`, `objects`, `concepts`,
    /// `concept_labels`).
    public struct SideInput: Sendable, Hashable {
        public var role: String
        public var input: Input

        public init(role: String, input: Input) {
            self.role = role
            self.input = input
        }
    }

    public var toolVersion: String
    public var command: String
    public var policyName: String
    public var policyFile: String
    public var policyHash: String
    public var seed: UInt64
    public var inputs: [Input]
    /// The files given with `--embeddings` (each `.npy` shard of a folder), `--objects`, `--concepts` and
    /// `--concept-labels`, by role: they change clusters and triggers as much as the inputs do.
    public var sideInputs: [SideInput]
    /// The `--key-field/--image-field/--caption-field` overrides (nil when not given), so `curate report` reads
    /// the inputs again the way the run did.
    public var fields: FieldNames
    /// The `--image-root` folder (nil when not given), for the same reason.
    public var imageRoot: String?
    /// The folder the run started in: relative input paths and `imageRoot` resolve against it, so `curate report`
    /// finds the inputs from any folder.
    public var workingDirectory: String
    /// The feature index the run used, as an absolute path: `stats` or `audit` of the cleaned manifest in the
    /// output folder reuses it instead of decoding every image again into a new one there.
    public var index: String?
    /// Seconds spent in each stage, by stage name.
    public var timings: [String: Double]

    public init(
        toolVersion: String, command: String, policyName: String, policyFile: String, policyHash: String, seed: UInt64,
        inputs: [Input], sideInputs: [SideInput] = [], fields: FieldNames = FieldNames(),
        imageRoot: String? = nil, workingDirectory: String = FileManager.default.currentDirectoryPath,
        timings: [String: Double]
    ) {
        self.toolVersion = toolVersion
        self.command = command
        self.policyName = policyName
        self.policyFile = policyFile
        self.policyHash = policyHash
        self.seed = seed
        self.inputs = inputs
        self.sideInputs = sideInputs
        self.fields = fields
        self.imageRoot = imageRoot
        self.workingDirectory = workingDirectory
        self.timings = timings
    }

    public var json: JSONValue {
        .sorted([
            "tool_version": .string(toolVersion), "command": .string(command),
            "policy": .sorted(["name": .string(policyName), "file": .string(policyFile), "hash": .string(policyHash)]),
            "seed": .int(Int(clamping: seed)),
            "inputs": .array(
                inputs.map {
                    .sorted(["path": .string($0.path), "digest": .string($0.digest), "bytes": .int($0.bytes)])
                }),
            "side_inputs": .array(
                sideInputs.map {
                    .sorted([
                        "role": .string($0.role), "path": .string($0.input.path), "digest": .string($0.input.digest),
                        "bytes": .int($0.input.bytes),
                    ])
                }),
            "fields": .sorted([
                "key": fields.key.map { .string($0) } ?? .null, "image": fields.image.map { .string($0) } ?? .null,
                "caption": fields.caption.map { .string($0) } ?? .null,
            ]),
            "image_root": imageRoot.map { .string($0) } ?? .null,
            "working_directory": .string(workingDirectory),
            "index": index.map { .string($0) } ?? .null,
            "timings": .sorted(timings.mapValues { .number(($0 * 1000).rounded() / 1000) }),
        ])
    }

    /// The file's content.
    public var text: String { json.pretty }
}
