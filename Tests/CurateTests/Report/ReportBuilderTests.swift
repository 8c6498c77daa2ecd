import Curate
import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct ReportBuilderTests {
    static let sections = ["summary", "clusters", "word-triggers", "object-triggers", "before-after", "changes"]

    @Test("loads every file of the output folder")
    func loadsFolder() throws {
        let data = try ReportBuilder.load(folder: ReportFixture.folder)
        #expect(data.clusters.count == 6)
        #expect(data.clusters.first { $0.id == 30 }?.members.count == 14)
        #expect(data.wordTriggers.map(\.term) == ["astronaut", "hubble", "chelsea", "galaxies"])
        #expect(data.wordTriggers[3].after == nil)
        #expect(data.wordTriggers[0].before.qValue == 8.4e-9)
        #expect(data.wordTriggers[0].examples.count == 9)
        #expect(data.objectTriggers[0].after?.mentionRate == 1.0)
        #expect(data.stats?.before.errors == ["corrupt_image": 1, "missing_image": 1])
        #expect(data.stats?.mode == "audit")
        #expect(data.changes.count == 3)
        #expect(data.removed.count == 16)
        #expect(data.removed.first?.key == "s0005" && data.removed.first?.cluster == 3)
        #expect(data.run?.policy?.name == "mitigate-word-triggers" && data.run?.seed == "7")
        #expect(data.missingFiles.isEmpty)
    }

    @Test("every section is present with a heading, in order")
    func sectionsPresent() throws {
        let html = try ReportFixture.html()
        var last = html.startIndex
        for id in Self.sections {
            let range = try #require(html.range(of: "<section id=\"\(id)\""), "section \(id)")
            #expect(range.lowerBound > last)
            last = range.lowerBound
        }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(html.occurrences(of: "<h1") == 1)
        #expect(html.occurrences(of: "<h2") == Self.sections.count)
        #expect(html.contains("mitigate-word-triggers") && html.contains("xxh3:9f2c4e1a7b3d5f60"))
        #expect(html.contains("corrupt image"))
    }

    @Test("thumbnails are JPEG data URIs of at most 128 px, with key and caption as alt text")
    func thumbnailsAreDataURIs() throws {
        let html = try ReportFixture.html()
        let sources = html.matches("<img src=\"([^\"]*)\"")
        #expect(sources.count >= 40)
        for source in Set(sources) {
            #expect(source.hasPrefix("data:image/jpeg;base64,"))
            let bytes = try #require(Data(base64Encoded: String(source.dropFirst("data:image/jpeg;base64,".count))))
            let image = try ImageDecoder.decode(bytes)
            #expect(max(image.width, image.height) <= 128)
        }
        #expect(html.contains("alt=\"s0000: Official portrait of an astronaut in a spacesuit\""))
        #expect(!html.contains("<img src=\"\" "))
    }

    @Test("the provider is asked once per key")
    func thumbnailsCached() throws {
        let provider = try ReportFixture.Provider()
        _ = ReportBuilder.html(
            data: try ReportBuilder.load(folder: ReportFixture.folder), captions: try ReportFixture.captions(),
            thumbnail: provider.thumbnail)
        #expect(!provider.calls.isEmpty)
        #expect(provider.calls.values.allSatisfy { $0 == 1 })
    }

    @Test("galleries are capped and say how many more there are")
    func galleryCaps() throws {
        let html = try ReportFixture.html()
        let cluster30 = try #require(html.matches("(<article class=\"card cluster\" id=\"cluster-30\">.*?</article>)").first)
        #expect(cluster30.occurrences(of: "<figure") == ReportBuilder.thumbnailsPerCluster)
        #expect(cluster30.contains("+2 more members not shown"))
        #expect(cluster30.contains("ev-pdq") && cluster30.contains("ev-embedding"))
        // Largest cluster first.
        let order = html.matches("id=\"cluster-([0-9]+)\"")
        #expect(order == ["30", "3", "7", "12", "20", "25"])
    }

    @Test("charts are SVG with a before and an after bar per trigger, each with a title")
    func chartsHaveBars() throws {
        let html = try ReportFixture.html()
        for id in ["chart-top-share", "chart-support", "chart-collision"] {
            let svg = try #require(html.matches("(<svg id=\"\(id)\".*?</svg>)").first, "chart \(id)")
            #expect(svg.occurrences(of: "<g class=\"row\">") == 4)
            // One legend swatch each, plus one bar per trigger (the trigger without projection has no after bar).
            #expect(svg.occurrences(of: "<rect class=\"bar before\"") == 1 + 4)
            #expect(svg.occurrences(of: "<rect class=\"bar after\"") == 1 + 3)
            #expect(svg.occurrences(of: "<title>astronaut: before") == 1)
            #expect(svg.contains("no change projected"))
        }
        let confidence = try #require(html.matches("(<svg id=\"chart-confidence\".*?</svg>)").first)
        #expect(confidence.occurrences(of: "<g class=\"row\">") == 2)
    }

    @Test("hostile captions and terms are escaped, never markup")
    func escapesHostileText() throws {
        let html = try ReportFixture.html()
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("&quot;quoted&quot; &amp; &#39;single&#39;"))
        #expect(!html.contains("\u{202E}") && html.contains("[U+202E]"))
        #expect(!html.contains("\u{0007}") && !html.contains("\u{0000}"))
        #expect(html.contains("dining table &quot;&lt;b&gt;&quot;"))
        // The only script element is the page's own sorter.
        #expect(html.occurrences(of: "<script") == 1)
    }

    @Test("escaping covers markup, quotes, controls and bidi overrides", arguments: [
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("a\"b'c&d", "a&quot;b&#39;c&amp;d"),
        ("bell\u{07}nul\u{00}del\u{7F}c1\u{85}", "bell\u{FFFD}nul\u{FFFD}del\u{FFFD}c1\u{FFFD}"),
        ("abc\u{202E}fed\u{2066}", "abc[U+202E]fed[U+2066]"),
        ("tab\tline\ncr\r", "tab\tline\ncr "),
        ("日本語 🙂", "日本語 🙂"),
    ])
    func escapeTable(input: String, expected: String) throws {
        let data = ReportData(wordTriggers: [ReportWordTrigger(term: input, before: ReportWordStats(support: 3))])
        let html = ReportBuilder.html(data: data, captions: [:]) { _ in nil }
        #expect(html.contains("<th scope=\"row\">\(expected)</th>"))
    }

    @Test("no network URL in any src or href, and a CSP that forbids loading")
    func noNetworkReferences() throws {
        let html = try ReportFixture.html()
        let references = html.matches("(?:src|href)\\s*=\\s*\"([^\"]*)\"")
        #expect(!references.isEmpty)
        for reference in references {
            #expect(reference.hasPrefix("data:image/jpeg;base64,") || reference.hasPrefix("#"), "\(reference.prefix(40))")
            #expect(!reference.contains("//") || reference.hasPrefix("data:"))
        }
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(html.contains("content=\"default-src 'none'; img-src data:"))
        #expect(!html.contains("script-src 'unsafe-inline'"))
    }

    @Test("tables have captions and scoped headers")
    func accessibleTables() throws {
        let html = try ReportFixture.html()
        #expect(html.occurrences(of: "<table") == html.occurrences(of: "<caption>"))
        #expect(!html.contains("<th>"))
        #expect(html.occurrences(of: "<figure class=\"thumb") == html.occurrences(of: " alt=\"") + html.occurrences(of: "class=\"no-thumb\" role=\"img\" aria-label=\""))
    }

    @Test("the same inputs build the same bytes")
    func deterministic() throws {
        #expect(try ReportFixture.html() == ReportFixture.html())
    }

    @Test("empty parts say so plainly")
    func emptySections() throws {
        let data = ReportData(stats: ReportStats(before: ReportCounts(samples: 10), mode: "audit"))
        let html = ReportBuilder.html(data: data, captions: [:]) { _ in nil }
        for id in Self.sections { #expect(html.contains("<section id=\"\(id)\"")) }
        #expect(html.contains("No word triggers found at the policy&#39;s thresholds."))
        #expect(html.contains("No object triggers found at the policy&#39;s thresholds."))
        #expect(html.contains("No near-duplicate clusters found"))
        #expect(html.contains("The policy changes nothing"))
        #expect(!html.contains("<svg"))
    }

    @Test("a folder with missing files still loads and names what is missing")
    func partialFolder() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: ReportFixture.folder.appendingPathComponent("clusters.jsonl"), to: folder.appendingPathComponent("clusters.jsonl"))
        let data = try ReportBuilder.load(folder: folder)
        #expect(data.clusters.count == 6)
        #expect(data.missingFiles == ["changes.jsonl", "removed.jsonl", "run.json", "stats.json", "triggers.json"])
        let html = ReportBuilder.html(data: data, captions: [:]) { _ in nil }
        #expect(html.contains("Not in the output folder"))
        #expect(html.contains("no image"))
    }

    @Test("malformed files are typed errors that name file and line")
    func malformedFiles() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect { try ReportBuilder.load(folder: folder) } throws: { ($0 as? ReportLoadError)?.file == folder.path }
        try Data("{\"id\": 1, \"size\": 2, \"members\": [\"a\", \"b\"]}\n\n{not json\n".utf8).write(to: folder.appendingPathComponent("clusters.jsonl"))
        #expect { try ReportBuilder.load(folder: folder) } throws: {
            let error = $0 as? ReportLoadError
            return error?.file == "clusters.jsonl" && error?.line == 3
        }
        try Data("{\"id\": 1, \"members\": [\"a\", \"b\"], \"extra\": true}\n".utf8).write(to: folder.appendingPathComponent("clusters.jsonl"))
        try Data("[1, 2]\n".utf8).write(to: folder.appendingPathComponent("removed.jsonl"))
        #expect { try ReportBuilder.load(folder: folder) } throws: { ($0 as? ReportLoadError)?.line == 1 }
        try Data("{\"id\": \"k9\", \"reason\": \"exact_duplicate\", \"rule\": \"dedupe\", \"cluster\": null}\n".utf8)
            .write(to: folder.appendingPathComponent("removed.jsonl"))
        let data = try ReportBuilder.load(folder: folder)
        #expect(data.clusters.first?.size == 2)
        #expect(data.removed == [ReportRemoval(key: "k9", reason: "exact_duplicate", rule: "dedupe", cluster: nil)])
    }

    @Test("bytes that are not JPEG are not embedded")
    func rejectsNonJPEGThumbnails() throws {
        let data = try ReportBuilder.load(folder: ReportFixture.folder)
        let html = ReportBuilder.html(data: data, captions: [:]) { _ in Data("<svg onload=alert(1)>".utf8) }
        #expect(!html.contains("<img "))
        #expect(!html.contains("onload"))
    }
}

@Suite struct ReportRewriteTests {
    @Test("a caption rewrite marks the added and removed words, escaped")
    func marksWords() {
        let data = ReportData(changes: [
            ReportChange(key: "k1", before: "breakfast table <b>", after: "breakfast table with a cup", rule: "mention_object")
        ])
        let html = ReportBuilder.html(data: data, captions: [:]) { _ in nil }
        #expect(html.contains("breakfast table <del>&lt;b&gt;</del>"))
        #expect(html.contains("breakfast table <ins>with</ins> <ins>a</ins> <ins>cup</ins>"))
        #expect(html.contains("<span class=\"badge rule\">mention_object</span>"))
    }
}

@Suite struct ReportStructureTests {
    @Test("headings never skip a level")
    func headingOrder() throws {
        let html = try ReportFixture.html()
        let levels = html.matches("<h([1-6])[ >]").compactMap { Int($0) }
        #expect(levels.first == 1)
        for (previous, next) in zip(levels, levels.dropFirst()) { #expect(next <= previous + 1, "h\(previous) then h\(next)") }
    }

    @Test("statistics decode leniently: unknown fields, nulls, numbers as strings, missing parts")
    func lenientStatistics() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let triggers = """
            {"word": [{"term": "dog", "before": {"support": 12, "top_share": null, "p_value": "NaN", "q_value": "1e-3", "new_stat": [1]},
                       "after": null, "examples": "not a list"}],
             "object": [{"term": "beach", "object": "umbrella", "before": {"lift": "Infinity"}}],
             "future": {}}
            """
        try Data(triggers.utf8).write(to: folder.appendingPathComponent("triggers.json"))
        try Data(#"{"before": {"samples": 3.0, "errors": {"corrupt_image": 2}}, "mode": "apply", "extra": 1}"#.utf8)
            .write(to: folder.appendingPathComponent("stats.json"))
        try Data(#"{"seed": "abc", "timings": {"scan": 0.5}, "policy": {"name": "p"}}"#.utf8).write(to: folder.appendingPathComponent("run.json"))
        let data = try ReportBuilder.load(folder: folder)
        let word = try #require(data.wordTriggers.first)
        #expect(word.before.support == 12 && word.before.topShare == nil && word.before.pValue?.isNaN == true)
        #expect(word.before.qValue == 0.001 && word.after == nil && word.examples.isEmpty)
        #expect(data.objectTriggers.first?.before.lift == .infinity)
        #expect(data.stats?.before.samples == 3 && data.stats?.after == nil && data.stats?.mode == "apply")
        #expect(data.run?.seed == "abc" && data.run?.timings == ["scan": 0.5])
        let html = ReportBuilder.html(data: data, captions: [:]) { _ in nil }
        #expect(html.contains("<th scope=\"row\">dog</th>") && html.contains(">NaN<") && html.contains(">∞<"))
        #expect(html.contains("No input problems") == false && html.contains("corrupt image"))
    }

    @Test("number formatting is fixed and locale-free")
    func numberFormatting() {
        let data = ReportData(wordTriggers: [
            ReportWordTrigger(
                term: "t", before: ReportWordStats(support: 1234, topShare: 0.66666, collision: 0.0005, pValue: 0.000012345, qValue: 0.5))
        ])
        let html = ReportBuilder.html(data: data, captions: [:]) { _ in nil }
        #expect(html.contains(">1234<") && html.contains(">0.667<") && html.contains(">0.001<"))
        #expect(html.contains(">1.2e-5<") && html.contains(">0.500<"))
    }
}

@Suite struct ReportPolicyTests {
    @Test("SHA-256 matches the FIPS test vector")
    func sha256Vector() {
        let hex = SHA256.digest(Array("abc".utf8)).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the CSP allows exactly the page's own script, by hash")
    func scriptHashMatches() throws {
        let html = try ReportFixture.html()
        let script = try #require(html.matches("<script>(.*?)</script>").first)
        let hash = "sha256-" + Data(SHA256.digest(Array(script.utf8))).base64EncodedString()
        #expect(html.contains("script-src '\(hash)'"))
    }
}

@Suite struct ReportWriteTests {
    @Test("the captions and thumbnails of the shown keys alone build the same page as those of every sample")
    func shownKeysSuffice() throws {
        // As audit and apply write it: word triggers list examples (one more than a card has thumbnails) and no
        // captions, so a card lists the captions of all its examples; some triggers have no examples at all.
        let folder = try ReportFixture.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let triggersURL = folder.appendingPathComponent("triggers.json")
        var triggers = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: triggersURL)) as? [String: Any])
        var word = try #require(triggers["word"] as? [[String: Any]])
        word = word.map { $0.filter { $0.key != "captions" } }
        // Two more examples past the card's thumbnails, samples shown nowhere else on the page.
        let examples = try #require(word[0]["examples"] as? [String])
        #expect(examples.count >= ReportBuilder.thumbnailsPerTrigger)
        word[0]["examples"] = examples + ["s0040", "s0041"]
        triggers["word"] = word
        try JSONSerialization.data(withJSONObject: triggers, options: [.sortedKeys]).write(to: triggersURL)

        let shown = ReportBuilder.shownKeys(folder: folder)
        let captions = try ReportFixture.captions()
        #expect(shown.count < captions.count)
        let data = try ReportBuilder.load(folder: folder)
        let everything = try ReportFixture.Provider(), some = try ReportFixture.Provider()
        let full = ReportBuilder.html(data: data, captions: captions, thumbnail: everything.thumbnail)
        let restricted = ReportBuilder.html(
            data: data, captions: captions.filter { shown.contains($0.key) },
            thumbnail: { shown.contains($0) ? some.thumbnail($0) : nil })
        #expect(restricted == full)
    }

    @Test("writeReport puts report.html into the folder, the same bytes as html(data:)")
    func writesFile() throws {
        let folder = try ReportFixture.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let provider = try ReportFixture.Provider()
        let url = try ReportBuilder.writeReport(folder: folder, captions: try ReportFixture.captions(), thumbnail: provider.thumbnail)
        #expect(url.lastPathComponent == "report.html")
        #expect(try String(contentsOf: url, encoding: .utf8) == ReportFixture.html())
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !ReportBuilder.fileNames.contains($0) }
        #expect(leftovers == ["report.html"])
    }
}
