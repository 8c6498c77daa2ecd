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

/// Writes the kept samples in input order, with rewritten captions and a `weight` field when the plan reweighted.
///
/// Records pass through byte for byte: an untouched JSONL, CSV or TSV row is written as its source line; otherwise
/// every field keeps its original source text except the caption (re-encoded only when rewritten) and `weight`.
public enum ManifestWriter {
    /// Writes the manifest of `input` into `file` (not committed).
    /// - Parameter captionField: the record field that holds the caption (as the reader resolved it).
    public static func write(
        input: PlanInput, plan: Plan, format: ManifestFormat, captionField: String, to file: AtomicFile
    ) throws(OutputError) {
        try file.write(render(input: input, plan: plan, format: format, captionField: captionField))
    }

    /// The manifest as one string (for small sets and tests; runs stream rows with ``RowsWriter``).
    public static func render(input: PlanInput, plan: Plan, format: ManifestFormat, captionField: String) -> String {
        let weights = plan.hasWeights
        let columns = columns(fieldNames: fieldNames(input), plan: plan, captionField: captionField)
        var text = header(columns, format)
        for index in plan.decisions.indices where plan.decisions[index].isKept {
            text += line(input.samples[index], plan.decisions[index], format, captionField, weights, columns)
        }
        return text
    }

    /// The header line of a delimited manifest (nothing for JSONL), newline included, after a byte order mark
    /// when the dialect has one.
    static func header(_ columns: [String], _ format: ManifestFormat, dialect: TextDialect = TextDialect()) -> String {
        guard format != .jsonl else { return "" }
        let delimiter: Character = format == .csv ? "," : "\t"
        var line = columns.map { quoted($0, delimiter: delimiter) }.joined(separator: String(delimiter))
        if let header = dialect.header, header.names == columns { line = header.text }
        return (dialect.byteOrderMark ? "\u{FEFF}" : "") + line + dialect.lineEnding
    }

    /// One kept sample's line in `format`, newline included (a delimited row ends as `lineEnding` says).
    static func line(
        _ sample: some ManifestRow, _ decision: SampleDecision, _ format: ManifestFormat, _ captionField: String,
        _ weights: Bool, _ columns: [String], lineEnding: String = "\n"
    ) -> String {
        switch format {
        case .jsonl: return jsonLine(sample, decision, captionField, weights) + "\n"
        case .csv, .tsv:
            // An untouched row of a file with these very columns is written as it stood in that file.
            if !decision.isRewritten, !weights, let text = sample.record.sourceText,
                sample.record.fields.count == columns.count,
                zip(sample.record.fields, columns).allSatisfy({ $0.name == $1 })
            {
                return text + lineEnding
            }
            let delimiter: Character = format == .csv ? "," : "\t"
            let cells = textRow(sample, decision, captionField, weights, columns)
            return cells.map { quoted($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + lineEnding
        case .tar: return ""  // a shard has no lines: TarManifest copies members
        }
    }

    /// Every field name of the samples' records, in first-seen order.
    static func fieldNames(_ input: PlanInput) -> [String] {
        var list = FieldNameList()
        for sample in input.samples { list.add(sample.record) }
        return list.names
    }

    /// One JSON object: the record's fields in order, caption replaced when rewritten, `weight` when reweighted;
    /// an untouched JSONL row is its source line, byte for byte.
    static func jsonLine(_ sample: some ManifestRow, _ decision: SampleDecision, _ captionField: String, _ weights: Bool)
        -> String
    {
        if !decision.isRewritten, !weights, let line = sample.record.sourceText { return line }
        var members = recordMembers(sample)
        if decision.isRewritten { set(&members, captionField, .string(decision.caption)) }
        if weights { set(&members, "weight", .number(combinedWeight(sample, decision))) }
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
        return sample.record.fields.enumerated().map { position, field in
            let repetition = Record.repetition(in: names, at: position)
            return .init(repetition == 0 ? field.name : "\(field.name)~\(repetition + 1)", .string(field.value))
        }
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

    /// One row of cells for `columns`; a missing field is an empty cell.
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
        }
    }

    /// RFC 4180 quoting: a cell holding the delimiter, a quote, CR or LF is quoted, with quotes doubled.
    public static func quoted(_ cell: String, delimiter: Character) -> String {
        guard cell.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return cell
        }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
