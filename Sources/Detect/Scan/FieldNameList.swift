/// Record field names in first-seen order, each once.
struct FieldNameList {
    private(set) var names: [String] = []
    private var seen: Set<String> = []

    /// Adds the fields of `record` not seen before.
    mutating func add(_ record: Record) {
        for field in record.fields where !seen.contains(field.name) {
            seen.insert(field.name)
            names.append(field.name)
        }
    }
}
