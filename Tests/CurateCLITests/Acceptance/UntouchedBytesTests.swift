import CurateTestSupport
import Foundation
import Testing

/// "An untouched row is written back byte for byte" holds for rows that are not valid UTF-8 too: the problem is
/// reported, the row's bytes are not replaced with U+FFFD.
@Suite struct UntouchedBytesTests {
    /// A folder with two real photos and a manifest `name` holding `bytes`.
    func dataset(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let folder = try Fixtures.temporaryFolder()
        for (index, photo) in Fixtures.photos.prefix(2).enumerated() {
            try FileManager.default.copyItem(at: photo, to: folder.appendingPathComponent("p\(index).jpg"))
        }
        let manifest = folder.appendingPathComponent(name)
        try Data(bytes).write(to: manifest)
        return manifest
    }

    @Test("an untouched row with Latin-1 bytes comes back as it was, in JSONL, CSV and TSV", arguments: [
        ("m.jsonl", #"{"key":"a","image":"p0.jpg","caption":"caf§ latin1"}"# + "\n" + #"{"key":"b","image":"p1.jpg","caption":"ok"}"# + "\n"),
        ("m.csv", "key,image,caption\na,p0.jpg,caf§ latin1\nb,p1.jpg,ok\n"),
        ("m.tsv", "key\timage\tcaption\r\na\tp0.jpg\tcaf§\r\nb\tp1.jpg\tok\r\n"),
    ])
    func invalidUTF8PassesThrough(name: String, text: String) throws {
        // `§` stands for the Latin-1 byte of `é`, which no UTF-8 text can hold.
        let bytes = text.unicodeScalars.flatMap { $0 == "§" ? [0xE9] : Array(String($0).utf8) }
        let manifest = try dataset(name, bytes)
        let out = manifest.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CurateBinary.run([
            "apply", manifest.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "-q", "--index",
            manifest.deletingLastPathComponent().appendingPathComponent("index.sqlite").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try Data(contentsOf: out.appendingPathComponent("manifest." + manifest.pathExtension))
        #expect([UInt8](written) == bytes)
        let problems = try Output.jsonLines(out.appendingPathComponent("problems.jsonl"))
        #expect(problems.map { $0["kind"] as? String } == ["invalid_utf8"])
        #expect(problems.first?["key"] as? String == "a")
        #expect(try Output.lines(out.appendingPathComponent("changes.jsonl")).isEmpty)
    }
}
