/// A row of an embedding matrix that cannot serve as evidence.
public struct InvalidEmbeddingRow: Sendable, Hashable {
    /// Why the row is unusable.
    public enum Reason: String, Sendable, Hashable {
        /// The row holds NaN or ±Inf.
        case nonFinite
        /// Every element is zero: the row has no direction.
        case zero
    }

    /// Row index (= sample ordinal).
    public var row: Int
    public var reason: Reason

    public init(row: Int, reason: Reason) {
        self.row = row
        self.reason = reason
    }
}
