/// An input that cannot be read at all: it does not exist, or its kind cannot be told. Stops the run.
public struct DatasetInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input as the user gave it.
    public var path: String
    /// What is wrong and what to change.
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
