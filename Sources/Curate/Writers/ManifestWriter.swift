import Detect
import Foundation

/// The format of the cleaned manifest: the input's own for JSONL, CSV/TSV and webdataset shards; JSONL for folders.
public enum ManifestFormat: String, Sendable, Hashable, CaseIterable {
    /// `tar` is a webdataset shard of the kept samples (``TarManifest``), for inputs that are all shards.
    case jsonl, csv, tsv, tar

    /// `manifest.jsonl`, `manifest.csv`, `manifest.tsv` or `manifest.tar`.
    public var fileName: String { "manifest.\(rawValue)" }
}

/// What the writers need of a sample: its key, caption and original record (``PlanSample`` in tests and small
/// runs, a replayed ``Sample`` when the inputs are read again to write them).
public protocol ManifestRow {
    var key: String { get }
    var caption: String { get }
    var record: Record { get }
    /// The key as the input gave it, when `key` was renamed apart from an earlier sample's.
    var inputKey: String? { get }
}

extension PlanSample: ManifestRow {
    public var inputKey: String? { nil }
}
extension Sample: ManifestRow {}

/// Writes the kept samples in input order, with rewritten captions and a `weight` on each reweighted sample (in a
/// CSV/TSV, a `weight` column on every row, 1 where the row was not reweighted).
///
/// Records pass through byte for byte: an untouched JSONL, CSV or TSV row is written as its source line (its exact
/// bytes, invalid UTF-8 included) when the manifest has its format; otherwise every field keeps its original source
/// text except the caption (re-encoded only when rewritten) and `weight`. A CSV/TSV row in a JSONL manifest (inputs
/// of mixed kinds) becomes a JSON object of its cells, as strings.
public enum ManifestWriter {
    /// Writes the manifest of `input` into `file` (not committed).
    /// - Parameter captionField: the record field that holds the caption (as the reader resolved it).
    public static func write(
        input: PlanInput, plan: Plan, format: ManifestFormat, captionField: String, to file: AtomicFile
    ) throws(OutputError) {
        try file.write(renderBytes(input: input, plan: plan, format: format, captionField: captionField))
    }

    /// The manifest as one string (for small sets and tests; runs stream rows with ``RowsWriter``). A row that is
    /// not valid UTF-8 reads with U+FFFD here; ``write(input:plan:format:captionField:to:)`` keeps its bytes.
    public static func render(input: PlanInput, plan: Plan, format: ManifestFormat, captionField: String) -> String {
        let bytes = renderBytes(input: input, plan: plan, format: format, captionField: captionField)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func renderBytes(input: PlanInput, plan: Plan, format: ManifestFormat, captionField: String) -> [UInt8] {
        let weights = plan.hasWeights
        let columns = columns(fieldNames: fieldNames(input), plan: plan, captionField: captionField)
        let dialect = TextDialect(format: format)
        var bytes = header(columns, format, dialect: dialect)
        for index in plan.decisions.indices where plan.decisions[index].isKept {
            bytes += line(
                input.samples[index], plan.decisions[index], format, captionField, weights, columns, dialect: dialect)
        }
        return bytes
    }

    /// The header line of a delimited manifest (nothing for JSONL), newline included, after a byte order mark
    /// when the dialect has one.
    static func header(_ columns: [String], _ format: ManifestFormat, dialect: TextDialect) -> [UInt8] {
        guard format != .jsonl else { return [] }
        var line = Array(
            columns.map { quoted($0, delimiter: dialect.delimiter) }.joined(separator: String(dialect.delimiter)).utf8)
        if let header = dialect.header, header.names == columns { line = header.bytes }
        return (dialect.byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + line + Array(dialect.lineEnding.utf8)
    }

    /// The record's own bytes, when `sample` is written untouched and its row is already in `format`: a JSONL line
    /// in a JSONL manifest, a CSV/TSV row of a file with these very columns in a CSV/TSV one (and the manifest's
    /// delimiter: ``RowsWriter`` sees to that).
    static func verbatim(
        _ sample: some ManifestRow, _ decision: SampleDecision, _ format: ManifestFormat, _ columns: [String]
    ) -> [UInt8]? {
        // A row the plan did not reweight keeps its bytes; in a CSV/TSV the check below still refuses a row that lacks
        // the weight column every row must then have.
        guard !decision.isRewritten, decision.weight == nil, let source = sample.record.source else { return nil }
        switch format {
        case .jsonl: return sample.record.encoding == .json ? source : nil
        case .csv, .tsv:
            guard sample.record.encoding == .text, sample.record.fields.count == columns.count,
                zip(sample.record.fields, columns).allSatisfy({ $0.name == $1 })
            else { return nil }
            return source
        case .tar: return nil
        }
    }

    /// One kept sample's line in `format`, newline included (a delimited row is spelt and ends as `dialect` says).
    static func line(
        _ sample: some ManifestRow, _ decision: SampleDecision, _ format: ManifestFormat, _ captionField: String,
        _ weights: Bool, _ columns: [String], dialect: TextDialect
    ) -> [UInt8] {
        if let source = verbatim(sample, decision, format, columns) {
            return source + Array((format == .jsonl ? "\n" : dialect.lineEnding).utf8)
        }
        switch format {
        case .jsonl: return Array((jsonLine(sample, decision, captionField) + "\n").utf8)
        case .csv, .tsv:
            let delimiter = dialect.delimiter
            let cells = textRow(sample, decision, captionField, weights, columns)
            let text = cells.map { quoted($0, delimiter: delimiter) }.joined(separator: String(delimiter))
            return Array((text + dialect.lineEnding).utf8)
        case .tar: return []  // a shard has no lines: TarManifest copies members
        }
    }

    /// Every field name of the samples' records, in first-seen order.
    static func fieldNames(_ input: PlanInput) -> [String] {
        var list = FieldNameList()
        for sample in input.samples { list.add(sample.record) }
        return list.names
    }

    /// One JSON object: the record's fields in order, caption replaced when rewritten, `weight` when this sample was
    /// reweighted (a JSON row has no columns to fill: a row without `weight` reads as weighing 1, so others get none).
    static func jsonLine(_ sample: some ManifestRow, _ decision: SampleDecision, _ captionField: String) -> String {
        var members = recordMembers(sample)
        if decision.isRewritten { set(&members, captionField, .string(decision.caption)) }
        if decision.weight != nil { set(&members, "weight", .number(combinedWeight(sample, decision))) }
        return JSONValue.object(members).compact
    }

    /// The plan's weight times a numeric `weight` the record already had, so existing weighting is kept.
    static func combinedWeight(_ sample: some ManifestRow, _ decision: SampleDecision) -> Double {
        let planned = decision.weight ?? 1
        guard let existing = sample.record["weight"], let value = Double(existing.trimmingCharacters(in: .whitespaces)),
            value.isFinite
        else { return planned }
        return value * planned
    }

    /// The record's fields as JSON members: JSON source text as is, text cells as JSON strings.
    static func recordMembers(_ sample: some ManifestRow) -> [JSONValue.Member] {
        if sample.record.fields.isEmpty {
            return [.init("key", .string(sample.key)), .init("caption", .string(sample.caption))]
        }
        if sample.record.encoding == .json {
            return sample.record.fields.map { .init($0.name, .raw($0.value)) }
        }
        // A CSV header may repeat a name; JSON keeps one value per name, so the repeats become `NAME~2`, ...
        let names = sample.record.fields.lazy.map(\.name)
        var members = sample.record.fields.enumerated().map { position, field -> JSONValue.Member in
            let repetition = Record.repetition(in: names, at: position)
            return .init(repetition == 0 ? field.name : "\(field.name)~\(repetition + 1)", .string(field.value))
        }
        if !sample.record.extraCells.isEmpty {
            members.append(.init("extra_cells", .array(sample.record.extraCells.map { .string($0) })))
        }
        return members
    }

    /// Replaces the first member named `name`, or appends one.
    static func set(_ members: inout [JSONValue.Member], _ name: String, _ value: JSONValue) {
        if let position = members.firstIndex(where: { $0.name == name }) {
            members[position].value = value
        } else {
            members.append(.init(name, value))
        }
    }

    /// Header columns: every field name in first-seen order, then `weight` when reweighted.
    static func columns(fieldNames: [String], plan: Plan, captionField: String) -> [String] {
        var columns = fieldNames.isEmpty ? ["key", captionField] : fieldNames
        if plan.hasWeights && !fieldNames.contains("weight") { columns.append("weight") }
        return columns
    }

    /// One row of cells for `columns`, then the record's cells past its header's; a missing field is an empty cell.
    static func textRow(
        _ sample: some ManifestRow, _ decision: SampleDecision, _ captionField: String, _ weights: Bool,
        _ columns: [String]
    ) -> [String] {
        columns.indices.map { position in
            let column = columns[position]
            // A repeated column name (`tag,tag`) reads the record's field of the same repetition.
            let occurrence = Record.repetition(in: columns, at: position)
            if occurrence == 0 {
                if column == captionField && (decision.isRewritten || sample.record.fields.isEmpty) {
                    return decision.caption
                }
                if column == "weight" && weights { return JSONValue.format(combinedWeight(sample, decision)) }
                if column == "key" && sample.record.fields.isEmpty { return sample.key }
            }
            guard let value = sample.record.value(of: column, occurrence: occurrence) else { return "" }
            return PlanState.fieldText(value, encoding: sample.record.encoding)
        } + sample.record.extraCells
    }

    /// RFC 4180 quoting: a cell holding the delimiter, a quote, CR or LF is quoted, with quotes doubled.
    public static func quoted(_ cell: String, delimiter: Character) -> String {
        guard cell.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return cell
        }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
