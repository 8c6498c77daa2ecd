/// Why an image could not be decoded; `kind` is what `stats.json` counts.
public struct ImageDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var kind: ProblemKind
    public var message: String

    public init(_ kind: ProblemKind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
