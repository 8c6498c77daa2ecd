/// A first-in, first-out queue of reader items waiting to be returned by `next()`.
struct ItemQueue {
    private var items: [ReaderItem] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ item: ReaderItem) { items.append(item) }

    mutating func append(problems: [InputProblem]) {
        for problem in problems { items.append(.problem(problem)) }
    }

    mutating func popFirst() -> ReaderItem? {
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return item
    }
}
