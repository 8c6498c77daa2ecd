import Detect
import Foundation

/// Builds `report.html`, one self-contained page, from the files of a `curate audit|apply --out DIR` folder.
///
/// The page has inline CSS, inline SVG charts and thumbnails as JPEG data URIs; it makes no network request and
/// reads fully without JavaScript (a few lines of script only make tables sortable). Same inputs, same bytes.
public enum ReportBuilder {
    /// Largest number of clusters in the gallery, and of thumbnails per cluster.
    public static let galleryClusters = 24
    public static let thumbnailsPerCluster = 12
    /// Triggers given a card with thumbnails, and thumbnails per card.
    public static let triggerCards = 20
    public static let thumbnailsPerTrigger = 8
    /// Triggers drawn in each before/after chart.
    public static let chartRows = 30
    /// Caption rewrites and removed samples shown as examples.
    public static let exampleChanges = 20
    public static let exampleRemovals = 24

    /// The files `load(folder:)` reads.
    public static let fileNames = ["clusters.jsonl", "triggers.json", "stats.json", "changes.jsonl", "removed.jsonl", "run.json"]

    /// Reads the output folder's files into `ReportData`.
    ///
    /// Absent files are listed in `missingFiles` and leave their part empty, so the report says what it lacks.
    /// - Parameter keyField: The manifest's key field, looked up in `removed.jsonl` after `key`, `id` and `__key__`.
    /// - Throws: `ReportLoadError` with file and line when a file is unreadable or malformed, or when the folder
    ///   holds none of the files.
    public static func load(folder: URL, keyField: String? = nil) throws(ReportLoadError) -> ReportData {
        var data = ReportData()
        var missing: [String] = []
        func contents(_ name: String) throws(ReportLoadError) -> Data? {
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                missing.append(name)
                return nil
            }
            do { return try Data(contentsOf: url) } catch {
                throw ReportLoadError(file: name, "cannot read: \(error.localizedDescription)")
            }
        }
        if let bytes = try contents("clusters.jsonl") {
            data.clusters = try decodeLines(bytes, file: "clusters.jsonl", as: ReportCluster.self)
        }
        if let bytes = try contents("triggers.json") {
            let triggers = try decodeDocument(bytes, file: "triggers.json", as: ReportTriggersFile.self)
            data.wordTriggers = triggers.word
            data.objectTriggers = triggers.object
        }
        if let bytes = try contents("stats.json") {
            data.stats = try decodeDocument(bytes, file: "stats.json", as: ReportStats.self)
        }
        if let bytes = try contents("changes.jsonl") {
            data.changes = try decodeLines(bytes, file: "changes.jsonl", as: ReportChange.self)
        }
        if let bytes = try contents("removed.jsonl") {
            data.removed = try removals(bytes, keyField: keyField)
        }
        if let bytes = try contents("run.json") {
            data.run = try decodeDocument(bytes, file: "run.json", as: ReportRun.self)
        }
        if missing.count == fileNames.count {
            throw ReportLoadError(file: folder.path, "none of \(fileNames.joined(separator: ", ")) is here; is this a curate --out folder?")
        }
        data.missingFiles = missing.sorted()
        return data
    }

    /// The sample keys whose thumbnails or captions the page of `folder` shows: the thumbnails by a dry render of
    /// what is already there; the captions are those of every trigger example (a card lists the captions of all its
    /// examples, past the thumbnails it shows) and, for a word trigger listed without examples, of its top
    /// cluster's members (the card picks the ones whose caption holds the term). Empty when the folder holds no
    /// report data yet.
    public static func shownKeys(folder: URL) -> Set<String> {
        var shown = Set<String>()
        guard let data = try? load(folder: folder) else { return shown }
        var page = ReportPage(data: data, captions: [:]) { key in
            shown.insert(key)
            return nil
        }
        _ = page.render()
        for trigger in data.wordTriggers {
            shown.formUnion(trigger.examples)
            if trigger.examples.isEmpty, let id = trigger.before.topCluster {
                shown.formUnion(page.clustersByID[id]?.members ?? [])
            }
        }
        for trigger in data.objectTriggers { shown.formUnion(trigger.examples) }
        return shown
    }

    /// The page for `data`.
    /// - Parameters:
    ///   - captions: Caption per sample key, for the galleries.
    ///   - thumbnail: JPEG bytes of a sample's thumbnail (see `thumbnailProvider(imageData:)`), or nil when there is
    ///     none; called at most once per key. Bytes that are not JPEG are not embedded.
    public static func html(data: ReportData, captions: [String: String], thumbnail: (String) -> Data?) -> String {
        withoutActuallyEscaping(thumbnail) { provider in
            var page = ReportPage(data: data, captions: captions, thumbnail: provider)
            return page.render()
        }
    }

    /// Loads `folder`, renders the page and writes it as `folder/report.html` atomically (written aside, then
    /// renamed), so a reader never sees half a report.
    /// - Returns: The URL of the written file.
    /// - Throws: `ReportLoadError` when the folder cannot be read or the page cannot be written.
    @discardableResult
    public static func writeReport(
        folder: URL, captions: [String: String], keyField: String? = nil, thumbnail: (String) -> Data?
    ) throws(ReportLoadError) -> URL {
        let data = try load(folder: folder, keyField: keyField)
        let page = html(data: data, captions: captions, thumbnail: thumbnail)
        let url = folder.appendingPathComponent("report.html")
        do { try Data(page.utf8).write(to: url, options: .atomic) } catch {
            throw ReportLoadError(file: "report.html", "cannot write: \(error.localizedDescription)")
        }
        return url
    }

    /// A thumbnail provider that shrinks each sample's image bytes with `Thumbnailer`; images that cannot be
    /// decoded get no thumbnail.
    public static func thumbnailProvider(maxSide: Int = 128, imageData: @escaping (String) -> Data?) -> (String) -> Data? {
        { key in
            guard let bytes = imageData(key) else { return nil }
            return try? Thumbnailer.jpeg(fromImageData: bytes, maxSide: maxSide)
        }
    }

    static func decodeDocument<T: Decodable>(_ bytes: Data, file: String, as type: T.Type) throws(ReportLoadError) -> T {
        do { return try JSONDecoder().decode(T.self, from: bytes) } catch {
            throw ReportLoadError(file: file, describe(error))
        }
    }

    static func decodeLines<T: Decodable>(_ bytes: Data, file: String, as type: T.Type) throws(ReportLoadError) -> [T] {
        var items: [T] = []
        let decoder = JSONDecoder()
        for (number, line) in lines(bytes) {
            do { items.append(try decoder.decode(T.self, from: line)) } catch {
                throw ReportLoadError(file: file, line: number, describe(error))
            }
        }
        return items
    }

    /// Non-blank lines with their 1-based numbers.
    static func lines(_ bytes: Data) -> [(Int, Data)] {
        var result: [(Int, Data)] = []
        var number = 0
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            result.append((number, Data(slice)))
        }
        return result
    }

    static func removals(_ bytes: Data, keyField: String?) throws(ReportLoadError) -> [ReportRemoval] {
        var keyNames = ["key"]
        if let keyField, !keyNames.contains(keyField) { keyNames.append(keyField) }
        keyNames += FieldNames.keyAliases.filter { !keyNames.contains($0) }
        var result: [ReportRemoval] = []
        for (number, line) in lines(bytes) {
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw ReportLoadError(file: "removed.jsonl", line: number, "a line must be a JSON object")
                }
                object = parsed
            } catch let error as ReportLoadError {
                throw error
            } catch {
                throw ReportLoadError(file: "removed.jsonl", line: number, "not JSON: \(error.localizedDescription)")
            }
            // `sample_key`: a sample renamed apart from an earlier one with its key, as the rest of the report names it.
            let key = scalarText(object["sample_key"]) ?? keyNames.lazy.compactMap { scalarText(object[$0]) }.first
            let caption = FieldNames().captionName(in: object.keys.sorted()).flatMap { object[$0] as? String }
            let cluster = (object["cluster"] as? NSNumber).flatMap { Int(exactly: $0.doubleValue) }
            result.append(
                ReportRemoval(
                    key: key, caption: caption, reason: scalarText(object["reason"]) ?? "unspecified",
                    rule: scalarText(object["rule"]) ?? "unnamed", cluster: cluster))
        }
        return result
    }

    /// A string or number field as text.
    static func scalarText(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let number = value as? NSNumber, !(value is Bool) {
            let double = number.doubleValue
            if double == double.rounded(), abs(double) < 1e15 { return String(Int(double)) }
            return String(double)
        }
        return nil
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field \"\(key.stringValue)\"" + path(context)
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type" + path(context) + ": " + context.debugDescription
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON" + path(context) + ": " + context.debugDescription
        default:
            return "\(error)"
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        return names.isEmpty ? "" : " at " + names.joined(separator: ".")
    }
}
