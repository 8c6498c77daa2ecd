import Detect
import Foundation

/// What `curate report OUT_DIR` needs besides the folder: captions and images by key, read again from the inputs
/// that `run.json` names. Of tar shards, only the images the report shows are read (found by a dry render).
public struct ReportInputs {
    public var captions: [String: String] = [:]
    /// Why captions or pictures will be missing from the report (inputs that moved or cannot be read).
    public var warnings: [String] = []
    /// Local files (`.file`) and the tar members the report shows (`.bytes`).
    var images: [String: ImageSource] = [:]

    public init(folder: URL) throws {
        let runFile = folder.appendingPathComponent("run.json")
        guard let data = try? Data(contentsOf: runFile),
            let run = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw OutputError(path: runFile.path, operation: "read run.json", message: "it is missing or not JSON; is this an audit or apply folder?")
        }
        // Paths as the run was given them, relative to the folder it ran in (run.json of older versions lacks it).
        let base = run["working_directory"] as? String
        func resolved(_ path: String) -> String {
            guard let base, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: base).appendingPathComponent(path).path
        }
        let entries = run["inputs"] as? [[String: Any]] ?? []
        let inputs = entries.compactMap { $0["path"] as? String }.map(resolved)
        let named = run["fields"] as? [String: Any] ?? [:]
        let fields = FieldNames(
            key: named["key"] as? String, image: named["image"] as? String, caption: named["caption"] as? String)
        let imageRoot = (run["image_root"] as? String).map(resolved)
        let missing = inputs.filter { !FileManager.default.fileExists(atPath: $0) }
        if !missing.isEmpty {
            warnings.append(
                "input \(missing.joined(separator: ", ")) named in run.json is not there any more;"
                    + " the report shows no captions or pictures from it")
        }
        let present = inputs.filter { !missing.contains($0) }
        guard !present.isEmpty else { return }
        // An input edited since the run may show other pictures and captions under the run's keys.
        for (path, entry) in zip(inputs, entries) where !missing.contains(path) {
            guard let digest = entry["digest"] as? String, digest != "folder",
                let now = try? RunInfo.Input.of(path: path), now.digest != digest
            else { continue }
            warnings.append(
                "input \(path) changed since the run (its digest is not run.json's); the report's captions and"
                    + " pictures come from it as it is now")
        }
        var reader: DatasetReader
        do {
            reader = try DatasetReader(inputs: present, fields: fields, imageRoot: imageRoot)
        } catch {
            warnings.append("cannot read the inputs again: \(error)")
            return
        }
        let shown = ReportBuilder.shownKeys(folder: folder)
        reader.readsImageBytes = false
        reader.imageBytesKeys = shown
        while let item = try? reader.next() {
            // Only the samples the page shows: a caption and a file reference for every row is ~200 bytes each.
            guard case .sample(let sample, let source) = item, shown.contains(sample.key) else { continue }
            captions[sample.key] = sample.caption
            if source.isReadable { images[sample.key] = source }
        }
        // Not one picture left (some may have been unreadable at the run too): the image folder has moved.
        let listed = shown.filter { captions[$0] != nil }
        if !listed.isEmpty, listed.allSatisfy({ images[$0] == nil }) {
            warnings.append(
                "none of the \(listed.count) pictures the report shows can be read now (first: \(listed.sorted()[0]));"
                    + " put the image files back where the run read them")
        }
    }

    /// The bytes of a sample's image, when it is a local file or a tar member the report shows.
    public func imageData(key: String) -> Data? { images[key]?.data() }
}
