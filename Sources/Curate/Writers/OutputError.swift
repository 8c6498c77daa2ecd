/// A failure to write the output folder, with the path and the operation that failed.
public struct OutputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var message: String

    public init(path: String, operation: String, message: String) {
        self.path = path
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(path): cannot \(operation): \(message)" }
}
