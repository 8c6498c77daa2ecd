import Foundation

/// Objects seen in each sample's image, read from an `--objects` JSONL file (any detector's or tagger's output).
///
/// Each line is `{"key": K, "objects": ["flag", ...]}` or `{"key": K, "objects": [{"label": "flag", "score": 0.8}, ...]}`
/// (a tag without a score counts as present). Labels are trimmed and lowercased. A line that is not such an object
/// is an ``InputProblem`` of kind `malformed_objects` with the file, the line and the key when it can be read; a key
/// that names no sample is listed in ``unknownKeys``; several lines for one key add up. A sample with no line is not
/// *covered*: its objects are unknown (the detector may not have run on it), so object statistics leave it out.
public struct ObjectTags: Sendable, Hashable {
    /// Object labels by id, in order of first appearance.
    public private(set) var labels: [String]
    /// Flat object ids per sample; sample `i` owns `objectIDs[offsets[i]..<offsets[i + 1]]`, ascending.
    public private(set) var objectIDs: [Int32]
    public private(set) var offsets: [Int]
    /// Whether the objects file had a (valid) line for each sample. Samples without one are unknown, not "no
    /// objects", and object statistics leave them out.
    public private(set) var covered: [Bool]
    /// Lines that could not be used.
    public var problems: [InputProblem]
    /// Keys in the objects file that are not in the dataset, with where they were read.
    public var unknownKeys: [UnknownKey]
    /// Scored detections left out for scoring under the threshold (the run says how many).
    public var belowScore = 0

    /// A key of the objects file that matches no sample.
    public struct UnknownKey: Sendable, Hashable {
        public var key: String
        public var origin: SampleOrigin
    }

    public var sampleCount: Int { offsets.count - 1 }

    /// The object ids of sample `ordinal`.
    public func objectIDs(of ordinal: Int) -> ArraySlice<Int32> { objectIDs[offsets[ordinal]..<offsets[ordinal + 1]] }

    /// The object labels of sample `ordinal`.
    public func labels(of ordinal: Int) -> [String] { objectIDs(of: ordinal).map { labels[Int($0)] } }

    /// The id of `label` (lowercased), if any sample shows it.
    public func id(of label: String) -> Int32? { labels.firstIndex(of: label.lowercased()).map(Int32.init) }

    /// Builds tags from per-sample label lists (tests, zero-shot concepts); every sample is covered.
    public init(labelsPerSample: [[String]]) {
        var builder = Builder(sampleCount: labelsPerSample.count)
        for (ordinal, labels) in labelsPerSample.enumerated() { builder.add(labels, to: ordinal) }
        self = builder.finish(problems: [], unknownKeys: [])
    }

    /// Both sources' objects per sample (a detector's file and zero-shot concepts): a sample is covered when
    /// either covers it; problems and unknown keys of both are kept.
    public func merged(with other: ObjectTags) -> ObjectTags {
        var builder = Builder(sampleCount: max(sampleCount, other.sampleCount))
        for source in [self, other] {
            for ordinal in 0..<source.sampleCount where source.covered[ordinal] {
                builder.add(source.labels(of: ordinal), to: ordinal)
            }
        }
        var merged = builder.finish(problems: problems + other.problems, unknownKeys: unknownKeys + other.unknownKeys)
        merged.belowScore = belowScore + other.belowScore
        return merged
    }

    fileprivate init(
        labels: [String], objectIDs: [Int32], offsets: [Int], covered: [Bool], problems: [InputProblem],
        unknownKeys: [UnknownKey]
    ) {
        self.labels = labels
        self.objectIDs = objectIDs
        self.offsets = offsets
        self.covered = covered
        self.problems = problems
        self.unknownKeys = unknownKeys
    }

    /// Reads an objects JSONL file.
    /// - Parameters:
    ///   - url: the file.
    ///   - ordinalOfKey: sample ordinal by key, for the dataset the objects belong to.
    ///   - sampleCount: number of samples in the dataset.
    ///   - minScore: scored detections below this are ignored.
    /// - Throws: ``ObjectTagsError`` when the file cannot be opened or read at all.
    public static func read(
        url: URL, ordinalOfKey: [String: Int], sampleCount: Int, minScore: Double = 0.5
    ) throws(ObjectTagsError) -> ObjectTags {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ObjectTagsError(file: url.relativePath, message: "cannot open: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var builder = Builder(sampleCount: sampleCount)
        var problems: [InputProblem] = []
        var unknown: [UnknownKey] = []
        var lineNumber = 0
        var belowScore = 0
        var pending = Data()
        func handleLine(_ line: Data) {
            lineNumber += 1
            // The file as the user gave it (relative stays relative), as manifest problems name theirs.
            let origin = SampleOrigin(file: url.relativePath, line: lineNumber)
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            switch parseLine(line, minScore: minScore) {
            case .failure(let message, let key):
                problems.append(InputProblem(.malformedObjects, at: origin, key: key, message))
            case .success(let (key, labels, low)):
                belowScore += low
                guard let ordinal = ordinalOfKey[key], ordinal >= 0, ordinal < sampleCount else {
                    unknown.append(UnknownKey(key: key, origin: origin))
                    return
                }
                builder.add(labels, to: ordinal)
            }
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw ObjectTagsError(file: url.relativePath, message: "read failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                handleLine(pending[start..<newline])
                start = newline + 1
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty { handleLine(pending) }
        var tags = builder.finish(problems: problems, unknownKeys: unknown)
        tags.belowScore = belowScore
        return tags
    }

    private enum Parsed {
        /// The key, the labels kept, and how many scored detections fell under the threshold.
        case success((String, [String], Int))
        /// What is wrong, and the line's key when it could be read (so the problem names the sample).
        case failure(String, key: String? = nil)
    }

    private static func parseLine(_ line: Data, minScore: Double) -> Parsed {
        guard String(data: line, encoding: .utf8) != nil else {
            // Bad bytes in a label leave the key readable: decoded with U+FFFD, the line still names its sample.
            let repaired = Data(String(decoding: line, as: UTF8.self).utf8)
            let record = (try? JSONSerialization.jsonObject(with: repaired)) as? [String: Any]
            return .failure("the line is not valid UTF-8", key: record.flatMap { keyText($0["key"]) })
        }
        guard let object = try? JSONSerialization.jsonObject(with: line), let record = object as? [String: Any] else {
            return .failure("not a JSON object")
        }
        guard record["key"] != nil else { return .failure("no \"key\" field") }
        guard let key = keyText(record["key"]) else { return .failure("\"key\" is not a string or number") }
        guard let list = record["objects"] as? [Any] else {
            return .failure("\"objects\" is missing or not an array", key: key)
        }
        var labels: [String] = []
        var low = 0
        for (index, item) in list.enumerated() {
            switch item {
            case let label as String:
                labels.append(label)
            case let detection as [String: Any]:
                guard let label = detection["label"] as? String else {
                    return .failure("objects[\(index)] has no string \"label\"", key: key)
                }
                if let rawScore = detection["score"] {
                    guard let score = (rawScore as? NSNumber)?.doubleValue, score.isFinite else {
                        return .failure("objects[\(index)].score is not a number", key: key)
                    }
                    if score < minScore {
                        low += 1
                        continue
                    }
                }
                labels.append(label)
            default:
                return .failure("objects[\(index)] is neither a label nor {\"label\", \"score\"}", key: key)
            }
        }
        return .success((key, labels, low))
    }

    /// A key field's value as text: a string, or a number as written; nil for anything else.
    private static func keyText(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    /// Accumulates labels per sample.
    struct Builder {
        private var idOfLabel: [String: Int32] = [:]
        private var labels: [String] = []
        private var perSample: [[Int32]]
        private var covered: [Bool]

        init(sampleCount: Int) {
            perSample = Array(repeating: [], count: max(0, sampleCount))
            covered = Array(repeating: false, count: max(0, sampleCount))
        }

        mutating func add(_ rawLabels: [String], to ordinal: Int) {
            covered[ordinal] = true
            for raw in rawLabels {
                let label = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                if label.isEmpty { continue }
                let id: Int32
                if let known = idOfLabel[label] {
                    id = known
                } else {
                    id = Int32(labels.count)
                    labels.append(label)
                    idOfLabel[label] = id
                }
                perSample[ordinal].append(id)
            }
        }

        func finish(problems: [InputProblem], unknownKeys: [UnknownKey]) -> ObjectTags {
            var flat: [Int32] = []
            var offsets = [0]
            for ids in perSample {
                var previous: Int32 = -1
                for id in ids.sorted() where id != previous {
                    flat.append(id)
                    previous = id
                }
                offsets.append(flat.count)
            }
            return ObjectTags(
                labels: labels, objectIDs: flat, offsets: offsets, covered: covered, problems: problems,
                unknownKeys: unknownKeys)
        }
    }
}

/// The objects file could not be read at all (individual bad lines are ``InputProblem``s instead).
public struct ObjectTagsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String

    public var description: String { "\(file): \(message)" }
}
