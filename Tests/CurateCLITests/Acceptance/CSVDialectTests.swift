import CurateTestSupport
import Foundation
import Testing

/// The cleaned CSV/TSV is written in its input's dialect: a byte order mark and CRLF line endings (as Excel
/// writes them) come back, so an untouched file is written back byte for byte.
@Suite struct CSVDialectTests {
    func apply(_ manifest: URL, policy: String) throws -> Data {
        let out = manifest.deletingLastPathComponent().appendingPathComponent("out-\(policy)")
        let result = try CurateBinary.run([
            "apply", manifest.path, "--policy", Fixtures.policy(policy), "--out", out.path, "-q",
            "--index", manifest.deletingLastPathComponent().appendingPathComponent("index.sqlite").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let name = "manifest." + manifest.pathExtension
        return try Data(contentsOf: out.appendingPathComponent(name))
    }

    @Test("an untouched CSV or TSV comes back byte for byte, BOM and CRLF or not", arguments: [
        ("m.csv", "\u{FEFF}key,image,caption,extra\r\na,p0.jpg,\"a photo, of a dog\",x1\r\nb,p1.jpg,\"two\r\nlines\",x2\r\n"),
        ("m.csv", "key,image,caption\na,p0.jpg,a photo\nb,p1.jpg,another\n"),
        ("m.tsv", "\u{FEFF}key\timage\tcaption\r\na\tp0.jpg\ta photo\r\nb\tp1.jpg\tanother\r\n"),
        // Unquoted TSV as LAION-style files are: quotes are text, even at the start of a cell.
        ("m.tsv", "key\timage\tcaption\textra\na\tp0.jpg\t\"hello\" world\tx\nb\tp1.jpg\t5\" screen, 2\" bezel\ty\n"),
        // A header and no row.
        ("m.csv", "id,file,text,score\r\n"),
        // A CSV quoted more than it needs, and a header that repeats a name.
        ("m.csv", "\"key\",image,caption,tag,tag\n\"a\",p0.jpg,\"plain\",t1,t2\nb,p1.jpg,\"say \"\"hi\"\"\",t3,t4\n"),
    ])
    func untouchedRoundTrip(name: String, text: String) throws {
        let manifest = try Fixtures.manifestBesidePhotos(name, text)
        #expect(try apply(manifest, policy: "audit-only.yaml") == Data(text.utf8))
    }

    @Test("a row removed from a BOM + CRLF CSV leaves the others in that dialect")
    func removalKeepsDialect() throws {
        // Row c repeats a's image: dedupe keeps the first.
        let text = "\u{FEFF}key,image,caption\r\na,p0.jpg,a photo\r\nb,p1.jpg,another\r\nc,p0.jpg,a copy\r\n"
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", text)
        let written = try apply(manifest, policy: "dedupe.yaml")
        #expect(written == Data("\u{FEFF}key,image,caption\r\na,p0.jpg,a photo\r\nb,p1.jpg,another\r\n".utf8))
    }

    @Test("a rewritten row keeps every column, a repeated column name included; its neighbours stay as written")
    func rewriteKeepsRepeatedColumns() throws {
        let text = "key,image,caption,tag,tag\na,p0.jpg,a red photo,t1,t2\nb,p1.jpg,\"quoted, plain\",t3,t4\n"
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", text)
        let policy = manifest.deletingLastPathComponent().appendingPathComponent("repeat.yaml")
        try Data("version: 1\nactions:\n  - rewrite_captions: {scope: terms, terms: [photo], strategy: drop_term}\n".utf8)
            .write(to: policy)
        let out = manifest.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CurateBinary.run([
            "apply", manifest.path, "--policy", policy.path, "--out", out.path, "-q",
            "--index", manifest.deletingLastPathComponent().appendingPathComponent("index.sqlite").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try String(contentsOf: out.appendingPathComponent("manifest.csv"), encoding: .utf8)
        #expect(written == "key,image,caption,tag,tag\na,p0.jpg,a red,t1,t2\nb,p1.jpg,\"quoted, plain\",t3,t4\n")
    }

    @Test("removed.jsonl names a repeated CSV column's second value NAME~2, so no value is lost to duplicate keys")
    func removedRepeatedColumns() throws {
        let text = "key,image,caption,tag,tag\na,p0.jpg,a photo,t1,t2\nc,p0.jpg,a copy,t3,t4\n"
        let manifest = try Fixtures.manifestBesidePhotos("m.csv", text)
        _ = try apply(manifest, policy: "dedupe.yaml")
        let out = manifest.deletingLastPathComponent().appendingPathComponent("out-dedupe.yaml")
        let removed = try String(contentsOf: out.appendingPathComponent("removed.jsonl"), encoding: .utf8)
        #expect(removed.hasPrefix(#"{"key":"c","image":"p0.jpg","caption":"a copy","tag":"t3","tag~2":"t4","#), "\(removed)")
    }
}
