import Detect
import Foundation

/// What `curate report OUT_DIR` needs besides the folder: captions and image files by key, read again from the
/// inputs that `run.json` names.
public struct ReportInputs {
    public var captions: [String: String] = [:]
    var imageFiles: [String: URL] = [:]

    public init(folder: URL) throws {
        let runFile = folder.appendingPathComponent("run.json")
        guard let data = try? Data(contentsOf: runFile),
            let run = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw OutputError(path: runFile.path, operation: "read run.json", message: "it is missing or not JSON; is this an audit or apply folder?")
        }
        let inputs = (run["inputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        let named = run["fields"] as? [String: Any] ?? [:]
        let fields = FieldNames(
            key: named["key"] as? String, image: named["image"] as? String, caption: named["caption"] as? String)
        guard !inputs.isEmpty, var reader = try? DatasetReader(inputs: inputs, fields: fields) else { return }
        while let item = try? reader.next() {
            guard case .sample(let sample, let source) = item else { continue }
            captions[sample.key] = sample.caption
            if case .file(let url) = source { imageFiles[sample.key] = url }
        }
    }

    /// The bytes of a sample's image, when it is a local file.
    public func imageData(key: String) -> Data? {
        imageFiles[key].flatMap { try? Data(contentsOf: $0) }
    }
}
