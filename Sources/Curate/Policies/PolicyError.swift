/// A policy file that cannot be used, with the place and the change that fixes it.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The policy file as given.
    public var file: String
    /// 1-based line of the offending node, when known.
    public var line: Int?
    /// 1-based column of the offending node, when known.
    public var column: Int?
    /// Where in the policy, e.g. `actions[1].rebalance.max_share`; empty for the whole file.
    public var keyPath: String
    /// What is wrong and what to change.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `FILE:LINE:COLUMN: KEY.PATH: message`, the form compilers use so editors can jump to it.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        return text + message
    }
}
