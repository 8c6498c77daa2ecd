import Dispatch
import Synchronization

/// Maps `items` on up to `jobs` threads, keeping the input order in the result.
///
/// Workers pull the next index from a shared counter, so one slow item (a huge image) does not hold up a
/// fixed share of the work.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
    let workers = max(1, min(jobs, items.count))
    if workers == 1 { return items.map(transform) }
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer {
        // The slots hold references (arrays, Data): release them before freeing the memory.
        _ = results.deinitialize()
        results.deallocate()
    }
    let next = Atomic<Int>(0)
    // Each index is written by exactly one worker and read only after all workers finish.
    nonisolated(unsafe) let output = results
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < items.count else { return }
            output[index] = transform(items[index])
        }
    }
    return results.map { $0! }
}
