import Detect
import Foundation

/// Reads the inputs and fills the index: the first stage of every command.
public enum DatasetScan {
    public static func run(_ request: DatasetRequest, terminal: Terminal) throws -> ScanResult {
        var reader = try DatasetReader(inputs: request.inputs, fields: request.fields, imageRoot: request.imageRoot)
        let index: FeatureIndex
        do {
            index = try FeatureIndex(path: request.indexPath)
        } catch {
            // The default index goes beside the first input, which fails on a read-only dataset with a raw SQLite
            // or Foundation error: say where it was and what to do instead.
            var reason = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            // GRDB appends the statement ("- while executing `SELECT …`"): not something a user can act on.
            if let statement = reason.range(of: " - while executing") {
                reason = String(reason[..<statement.lowerBound])
            }
            throw OutputError(
                path: request.indexPath, operation: "open or create the feature index",
                message: "\(reason.split(separator: "\n").first ?? "")."
                    + " Give --index a path in a writable folder (it defaults to .curate/ beside the first input)")
        }
        terminal.begin("scan")
        let result = try Scanner(index: index, options: request.scan).scan(&reader) { done in
            terminal.progress("scan", done: done)
        }
        terminal.endProgress()
        return result
    }
}
