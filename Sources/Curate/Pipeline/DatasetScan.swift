import Detect

/// Reads the inputs and fills the index: the first stage of every command.
public enum DatasetScan {
    public static func run(_ request: DatasetRequest, terminal: Terminal) throws -> ScanResult {
        var reader = try DatasetReader(inputs: request.inputs, fields: request.fields)
        let index = try FeatureIndex(path: request.indexPath)
        terminal.begin("scan")
        let result = try Scanner(index: index, options: request.scan).scan(&reader) { done in
            terminal.progress("scan", done: done)
        }
        terminal.endProgress()
        return result
    }
}
