import Foundation

/// Runs `body` for every index in `0..<count` on all cores and returns the results in index order.
///
/// Work is handed out by index, so the result never depends on scheduling.
func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    if count == 0 { return [] }
    let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
    defer {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    // Each iteration writes only its own slot, so the shared pointer is never written twice.
    nonisolated(unsafe) let output = slots
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: count) { index in
            output[index] = work(index)
        }
    }
    return (0..<count).map { slots[$0]! }
}

/// Sorts pair keys and removes repeats.
func sortedUnique(_ keys: [UInt64]) -> [UInt64] {
    var keys = keys
    RadixSort.sort(&keys)
    var write = 0
    for read in keys.indices where read == 0 || keys[read] != keys[read - 1] {
        keys[write] = keys[read]
        write += 1
    }
    keys.removeLast(keys.count - write)
    return keys
}

/// A sample pair `a < b` packed as `a << 32 | b`, so sorting keys sorts pairs.
@inline(__always) func pairKey(_ a: Int, _ b: Int) -> UInt64 {
    a < b ? UInt64(a) << 32 | UInt64(b) : UInt64(b) << 32 | UInt64(a)
}
