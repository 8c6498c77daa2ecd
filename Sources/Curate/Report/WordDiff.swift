/// A word-level diff of two captions, for showing a rewrite: removed words in `<del>`, added words in `<ins>`.
enum WordDiff {
    /// Captions longer than this many words are shown without marks (the table is quadratic).
    static let maxWords = 400

    /// Escaped HTML of both captions with the words that differ marked.
    static func html(before: String, after: String) -> (before: String, after: String) {
        let a = before.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let b = after.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard a.count <= maxWords, b.count <= maxWords else { return (HTMLText.escape(before), HTMLText.escape(after)) }
        // Longest common subsequence lengths from the end, so a forward walk picks the earliest match.
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var left: [String] = []
        var right: [String] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                left.append(HTMLText.escape(a[i]))
                right.append(HTMLText.escape(b[j]))
                i += 1
                j += 1
            } else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] {
                right.append("<ins>" + HTMLText.escape(b[j]) + "</ins>")
                j += 1
            } else {
                left.append("<del>" + HTMLText.escape(a[i]) + "</del>")
                i += 1
            }
        }
        return (left.joined(separator: " "), right.joined(separator: " "))
    }
}
