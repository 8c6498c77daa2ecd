import ArgumentParser
import Curate
import Detect
import Foundation

/// Opens the inputs named on the command line and scans them into the index.
struct DatasetLoader {
    var input: InputOptions
    var terminal: Terminal

    /// Reads every input and fills the index; returns the samples with their features.
    func scan() throws -> ScanResult {
        var reader = try DatasetReader(inputs: input.inputs, fields: input.fieldNames)
        let index = try FeatureIndex(path: input.indexPath)
        let scanner = Scanner(index: index, options: input.scanOptions)
        let result = try scanner.scan(&reader) { done in terminal.progress("scan", done: done) }
        terminal.endProgress()
        return result
    }
}

/// Deterministic JSON text: sorted keys, no escaped slashes.
enum JSONText {
    static func object(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
