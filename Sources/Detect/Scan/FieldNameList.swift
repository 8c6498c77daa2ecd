/// Record field names in first-seen order, each once (the columns of a delimited manifest written back).
public struct FieldNameList: Sendable {
    public private(set) var names: [String] = []
    private var seen: Set<String> = []

    public init() {}

    /// Adds the fields of `record` not seen before.
    public mutating func add(_ record: Record) {
        for field in record.fields where !seen.contains(field.name) {
            seen.insert(field.name)
            names.append(field.name)
        }
    }
}
