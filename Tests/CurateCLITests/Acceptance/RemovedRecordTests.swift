import CurateTestSupport
import Foundation
import Testing

/// removed.jsonl holds "the original record, reason, rule, cluster" (DESIGN.md): a record without a key field used
/// to gain `"key": LINE`, which read as a field of the record. The name the other files use is `sample_key`.
@Suite struct RemovedRecordTests {
    @Test("a removed record without a key field gets no key; sample_key holds its line number, as clusters name it")
    func keylessRecordStaysAsItWas() throws {
        let manifest = try Fixtures.manifestBesidePhotos(
            "train.jsonl",
            """
            {"image": "p0.jpg", "caption": "a photo"}
            {"image": "p1.jpg", "caption": "a zebra crossing", "source": "web"}
            {"key": "k3", "image": "p1.jpg", "caption": "another zebra"}

            """)
        let folder = manifest.deletingLastPathComponent()
        let policy = folder.appendingPathComponent("zebra.yaml")
        try Data("version: 1\nname: zebra\nactions:\n  - remove: {term: zebra}\n".utf8).write(to: policy)
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run(["apply", manifest.path, "--policy", policy.path, "--out", out.path, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let removed = try Output.jsonLines(out.appendingPathComponent("removed.jsonl"))
        try #require(removed.count == 2)
        let keyless = removed[0]
        #expect(keyless["key"] == nil, "\(keyless)")
        #expect(keyless["sample_key"] as? String == "2")
        #expect(keyless["image"] as? String == "p1.jpg" && keyless["source"] as? String == "web")
        #expect(Set(keyless.keys) == ["image", "caption", "source", "sample_key", "reason", "rule", "cluster"])
        // A record whose own key names it needs no sample_key.
        #expect(removed[1]["key"] as? String == "k3")
        #expect(removed[1]["sample_key"] == nil)
    }
}
