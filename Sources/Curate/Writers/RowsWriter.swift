import Detect
import Foundation

/// Writes the files that carry whole input records — `removed.jsonl` and, for `apply`, the manifest — in one
/// pass over the inputs read again (``InputReplay``), so no record has to stay in memory between scan and write.
struct RowsWriter {
    var plan: Plan
    /// Near-duplicate cluster of each sample by ordinal, for `removed.jsonl`.
    var clusterOf: [Int?]
    var captionField: String
    /// The run's field overrides (a webdataset sample's caption may live in its `KEY.json`).
    var fields = FieldNames()

    /// The manifest to write: its file, format and (for CSV/TSV) the field names of every record and the input's
    /// dialect.
    struct Manifest {
        var file: AtomicFile
        var format: ManifestFormat
        var fieldNames: [String]
        var dialect: TextDialect
        /// Inputs whose rows are spelt otherwise than the manifest (a semicolon CSV beside a comma one): their rows
        /// are written cell by cell in the manifest's dialect, never as they stood.
        var otherDialectFiles: Set<String> = []

        init(file: AtomicFile, format: ManifestFormat, fieldNames: [String], dialect: TextDialect? = nil) {
            self.file = file
            self.format = format
            self.fieldNames = fieldNames
            self.dialect = dialect ?? TextDialect(format: format)
        }
    }

    /// Streams every replayed sample to `removed` or, when given, to `manifest`.
    /// - Parameter imagesOf: samples whose image file to return (the report's thumbnails).
    /// - Returns: the images of those of `imagesOf` whose image is a local file (`.file`) or was read from a tar
    ///   shard (`.bytes`, when the replay was asked for its key).
    @discardableResult
    func write(_ replay: inout InputReplay, removed: AtomicFile, manifest: Manifest?, imagesOf: Set<Int> = [])
        throws -> [Int: ImageSource]
    {
        var files: [Int: ImageSource] = [:]
        let weights = plan.hasWeights
        let columns = manifest.map {
            ManifestWriter.columns(fieldNames: $0.fieldNames, plan: plan, captionField: captionField)
        } ?? []
        var tar: TarManifest?
        if let manifest {
            if manifest.format == .tar { tar = TarManifest() }
            else { try manifest.file.write(ManifestWriter.header(columns, manifest.format, dialect: manifest.dialect)) }
        }
        var ordinal = 0
        while let (sample, image) = try replay.next() {
            if imagesOf.contains(ordinal), image.isReadable { files[ordinal] = image }
            let decision = plan.decisions[ordinal]
            tar?.note(sample, ordinal: ordinal, isKept: decision.isKept)
            if let removal = decision.removal {
                try removed.write(LogWriters.removedLine(sample, removal, cluster: clusterOf[ordinal]) + "\n")
            } else if let manifest, tar == nil {
                var row = sample
                if manifest.otherDialectFiles.contains(sample.origin.file) { row.record.source = nil }
                try manifest.file.write(
                    ManifestWriter.line(
                        row, decision, manifest.format, captionField, weights, columns, dialect: manifest.dialect))
            }
            ordinal += 1
        }
        if let tar, let manifest { try tar.write(to: manifest.file, edits: .init(plan: plan, fields: fields)) }
        return files
    }
}
