extension Array {
    /// A copy whose storage holds just its elements: an array grown by appending keeps up to twice the room it
    /// needs (`Array(self[...])` may hand back the same storage, so the copy is made by hand).
    func shrunkToFit() -> [Element] {
        guard capacity > count else { return self }
        var copy: [Element] = []
        copy.reserveCapacity(count)
        copy.append(contentsOf: self)
        return copy
    }
}
