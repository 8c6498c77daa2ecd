/// The fields of an input record in their original order, kept so the writer can pass them through untouched.
public struct Record: Sendable, Hashable {
    /// How the field values are encoded.
    public enum Encoding: Sendable, Hashable {
        /// Each value is the exact JSON source text of the value (JSONL, `metadata.jsonl`, webdataset `.json`).
        case json
        /// Each value is a decoded text cell (CSV/TSV, sidecar captions).
        case text
    }

    /// One named field.
    public struct Field: Sendable, Hashable {
        public var name: String
        /// JSON source text for `.json` records, the cell's text for `.text` records.
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var encoding: Encoding
    public var fields: [Field]
    /// The record's bytes as they stand in its file (a JSONL line or a CSV/TSV row, without its line break), valid
    /// UTF-8 or not, so an untouched row can be written back byte for byte; nil for other inputs.
    public var source: [UInt8]?
    /// Cells of a CSV/TSV row past its header's last column: no column names them, so they are no field, but the
    /// writers keep them (after the row's other cells; `extra_cells` in JSON).
    public var extraCells: [String] = []

    /// ``source`` as text, when it is valid UTF-8.
    public var sourceText: String? {
        source.flatMap { String(validating: $0, as: UTF8.self) }
    }

    public init(encoding: Encoding, fields: [Field] = []) {
        self.encoding = encoding
        self.fields = fields
    }

    /// The value of the first field named `name`, if any.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// How many of `names` before `position` equal the name there (0 for its first appearance): a CSV header may
    /// repeat a name, and readers and writers tell the repeats apart by this.
    public static func repetition<Names: RandomAccessCollection<String>>(in names: Names, at position: Names.Index) -> Int {
        names[..<position].count { $0 == names[position] }
    }

    /// The value of the `occurrence`-th field (from 0) called `name`: a CSV header may repeat a name.
    public func value(of name: String, occurrence: Int) -> String? {
        guard occurrence > 0 else { return self[name] }
        var seen = 0
        for field in fields where field.name == name {
            if seen == occurrence { return field.value }
            seen += 1
        }
        return nil
    }
}
