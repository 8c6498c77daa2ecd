import Foundation

/// The index and image folder of the curate run whose output folder holds the inputs (its `run.json`).
struct EarlierRun {
    var index: String?
    var imageRoot: String?

    init?(folder: String) {
        let runFile = (folder as NSString).appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: runFile),
            let run = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        let workingDirectory = run["working_directory"] as? String ?? FileManager.default.currentDirectoryPath
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
        }
        if let path = run["index"] as? String, FileManager.default.fileExists(atPath: path) { index = path }
        var root: String?
        if let given = run["image_root"] as? String {
            root = absolute(given)
        } else if let inputs = run["inputs"] as? [[String: Any]], let first = inputs.first?["path"] as? String {
            let path = absolute(first)
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            root = exists && isFolder.boolValue ? path : (path as NSString).deletingLastPathComponent
        }
        var isFolder: ObjCBool = false
        if let root, FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue {
            imageRoot = root
        }
        if index == nil && imageRoot == nil { return nil }
    }
}
