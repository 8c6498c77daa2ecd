/// Every field name of a dataset's records, in first-seen order. A name that one record holds twice (a CSV
/// header `tag,tag`) is listed twice, so writers keep both columns.
public struct FieldNameList: Sendable {
    public private(set) var names: [String] = []
    /// How many times each name is listed.
    private var listed: [String: Int] = [:]

    public init() {}

    /// Adds the fields of `record` not listed before (a repeated name once per repetition).
    public mutating func add(_ record: Record) {
        let recordNames = record.fields.lazy.map(\.name)
        for (position, field) in record.fields.enumerated() {
            let occurrence = Record.repetition(in: recordNames, at: position)
            guard occurrence >= listed[field.name, default: 0] else { continue }
            listed[field.name] = occurrence + 1
            names.append(field.name)
        }
    }
}
