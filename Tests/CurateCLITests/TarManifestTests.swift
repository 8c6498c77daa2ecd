import CurateTestSupport
import Detect
import Foundation
import Testing

/// `apply` on webdataset shards writes `manifest.tar`: the kept samples' members copied from the shards.
@Suite struct TarManifestTests {
    /// The demo as two webdataset shards (made with the system `tar`): KEY.jpg, KEY.txt (the caption) and KEY.json
    /// (the row's other fields) per sample, in manifest order.
    static func demoShards() throws -> (folder: URL, shards: [URL], captions: [String: String]) {
        let demo = try Fixtures.demoCopy()
        let rows = try Output.jsonLines(demo.appendingPathComponent("manifest.jsonl"))
        let staging = demo.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        var captions: [String: String] = [:]
        var names: [[String]] = [[], []]
        for (index, row) in rows.enumerated() {
            let key = try #require(row["key"] as? String)
            let image = demo.appendingPathComponent(try #require(row["image"] as? String))
            try FileManager.default.copyItem(at: image, to: staging.appendingPathComponent("\(key).jpg"))
            captions[key] = row["caption"] as? String ?? ""
            try Data(captions[key]!.utf8).write(to: staging.appendingPathComponent("\(key).txt"))
            try Data("{\"source\": \"\(row["source"] as? String ?? "")\"}".utf8)
                .write(to: staging.appendingPathComponent("\(key).json"))
            names[index < rows.count / 2 ? 0 : 1] += ["\(key).jpg", "\(key).txt", "\(key).json"]
        }
        var shards: [URL] = []
        for (index, members) in names.enumerated() {
            let shard = demo.appendingPathComponent("shard-\(index).tar")
            try Self.makeShard(shard, from: staging, members: members)
            shards.append(shard)
        }
        return (demo, shards, captions)
    }

    /// Writes `members` of `folder`, in that order, into the shard `shard` with the system `tar` (its default
    /// format unless `format` names one).
    static func makeShard(_ shard: URL, from folder: URL, members: [String], format: String? = nil) throws {
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["cf", shard.path] + (format.map { ["--format=\($0)"] } ?? []) + ["-C", folder.path] + members
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
    }

    /// The samples of a shard in order: key → its members' bytes by suffix.
    static func samples(of shard: URL) throws -> [(key: String, members: [String: Data])] {
        var reader = try WebDatasetMembers(path: shard.path)
        var samples: [(key: String, members: [String: Data])] = []
        while let member = reader.next() {
            if samples.last?.key != member.key { samples.append((member.key, [:])) }
            samples[samples.count - 1].members[member.suffix] = member.data
        }
        return samples
    }

    @Test("kept samples come out in input order with their own bytes; rewritten captions and weights are applied")
    func keptMembers() throws {
        let (demo, shards, captions) = try Self.demoShards()
        let policy = demo.appendingPathComponent("tar.yaml")
        try Data(
            """
            version: 1
            name: tar
            seed: 5
            actions:
              - dedupe: {scope: near, keep: 8, prefer: [first]}
              - rewrite_captions: {scope: word_triggers, strategy: random_token, mode: insert, fraction: 0.5}
              - rebalance: {scope: word_triggers, max_copies: 5, max_share: 0.2, method: reweight}

            """.utf8
        ).write(to: policy)
        let out = demo.deletingLastPathComponent().appendingPathComponent("tar-out")
        let result = try CurateBinary.run(
            ["apply"] + shards.map(\.path) + ["--policy", policy.path, "--out", out.path, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = out.appendingPathComponent("manifest.tar")
        let kept = try Self.samples(of: manifest)
        let removed = try Output.jsonLines(out.appendingPathComponent("removed.jsonl"))
        #expect(!removed.isEmpty)
        #expect(kept.count + removed.count == captions.count)
        // Input order: the shards' samples, less the removed ones.
        let input = try shards.flatMap { try Self.samples(of: $0) }
        let removedKeys = Set(removed.compactMap { $0["key"] as? String })
        #expect(kept.map(\.key) == input.map(\.key).filter { !removedKeys.contains($0) })
        let changes = try Output.jsonLines(out.appendingPathComponent("changes.jsonl"))
        #expect(!changes.isEmpty)
        var finalCaption: [String: String] = [:]
        for change in changes { finalCaption[change["key"] as? String ?? ""] = change["after"] as? String }
        let original = Dictionary(uniqueKeysWithValues: input.map { ($0.key, $0.members) })
        var reweighted = 0
        for sample in kept {
            #expect(sample.members["jpg"] == original[sample.key]?["jpg"], "\(sample.key): image bytes")
            let caption = String(decoding: sample.members["txt"] ?? Data(), as: UTF8.self)
            #expect(caption == finalCaption[sample.key] ?? captions[sample.key], "\(sample.key): caption")
            let json = try #require(
                try JSONSerialization.jsonObject(with: sample.members["json"] ?? Data()) as? [String: Any])
            #expect(json["source"] as? String != nil, "\(sample.key): the row's own fields stay")
            // Only reweighted samples gain a weight; the others' members stay byte for byte.
            if let weight = json["weight"] as? Double {
                #expect(weight < 1, "\(sample.key)")
                reweighted += 1
            } else {
                #expect(sample.members["json"] == original[sample.key]?["json"], "\(sample.key): json untouched")
            }
        }
        #expect(reweighted > 0)
        // The cleaned shard is a dataset curate reads: the same kept samples.
        let stats = try CurateBinary.run(["stats", manifest.path, "--json", "-q"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let again = out.deletingLastPathComponent().appendingPathComponent("tar-again")
        #expect(try CurateBinary.run(
            ["apply"] + shards.map(\.path) + ["--policy", policy.path, "--out", again.path, "-q"]).status == 0)
        #expect(try Data(contentsOf: manifest) == Data(contentsOf: again.appendingPathComponent("manifest.tar")))
        // Shards and a manifest together have no one format to write back in.
        let mixed = try CurateBinary.run(
            ["apply", shards[0].path, demo.appendingPathComponent("manifest.jsonl").path, "--policy", policy.path,
             "--out", out.deletingLastPathComponent().appendingPathComponent("mixed").path])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("apply the shards and the others in two runs"), "\(mixed.stderr)")
    }

    @Test("a caption kept in KEY.json is rewritten there; a sample whose image is where the shard breaks stays one")
    func captionInJSONAndBrokenShard() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let staging = folder.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        func put(_ name: String, _ data: Data) throws { try data.write(to: staging.appendingPathComponent(name)) }
        try put("k0.jpg", Data(contentsOf: Fixtures.url("photos/chelsea.jpg")))
        try put("k0.json", Data("{\"id\": 1, \"caption\": \"a cat on a mat\", \"tags\": [\"x\"]}".utf8))
        try put("k1.jpg", Data(contentsOf: Fixtures.url("photos/coffee.jpg")))
        try put("k1.txt", Data("a cup of coffee".utf8))
        try put("k2.txt", Data("an astronaut".utf8))
        try put("k2.jpg", Data(contentsOf: Fixtures.url("photos/astronaut.jpg")))
        let order = ["k0.jpg", "k0.json", "k1.jpg", "k1.txt", "k2.txt", "k2.jpg"]
        let shard = folder.appendingPathComponent("broken.tar")
        try Self.makeShard(shard, from: staging, members: order, format: "ustar")
        // Cut the shard halfway through k2.jpg's bytes: each member is a 512-byte header plus 512-byte blocks.
        var offset = 0
        for name in order.dropLast() {
            let size = try Data(contentsOf: staging.appendingPathComponent(name)).count
            offset += 512 + (size + 511) / 512 * 512
        }
        let imageSize = try Data(contentsOf: staging.appendingPathComponent("k2.jpg")).count
        try Data(contentsOf: shard).prefix(offset + 512 + imageSize / 2).write(to: shard)

        let policy = folder.appendingPathComponent("numbers.yaml")
        try Data(
            "version: 1\nname: numbers\nactions:\n  - rewrite_captions: {scope: all, strategy: random_number}\n".utf8
        ).write(to: policy)
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run(["apply", shard.path, "--policy", policy.path, "--out", out.path, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        var after: [String: String] = [:]
        for change in try Output.jsonLines(out.appendingPathComponent("changes.jsonl")) {
            after[change["key"] as? String ?? ""] = change["after"] as? String
        }
        #expect(after.count == 3)
        let kept = try Self.samples(of: out.appendingPathComponent("manifest.tar"))
        #expect(kept.map(\.key) == ["k0", "k1", "k2"])
        let k0 = try #require(kept.first?.members)
        #expect(k0["txt"] == nil, "the caption stays where it was")
        let json = String(decoding: k0["json"] ?? Data(), as: UTF8.self)
        let rewritten = try #require(after["k0"])
        #expect(json == "{\"id\": 1, \"caption\": \(try String(decoding: JSONEncoder().encode(rewritten), as: UTF8.self)), \"tags\": [\"x\"]}")
        #expect(kept[1].members["txt"] == Data(try #require(after["k1"]).utf8))
        // k2's image was cut off: an empty image member keeps it a sample, with its (rewritten) caption.
        #expect(kept[2].members["jpg"] == Data())
        #expect(kept[2].members["txt"] == Data(try #require(after["k2"]).utf8))
        let stats = try CurateBinary.run(["stats", out.appendingPathComponent("manifest.tar").path, "--json", "-q"])
        let summary = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        #expect(summary?["samples"] as? Int == 3)
    }

    @Test("member names ustar cannot hold (non-ASCII, over 100 bytes) come through unchanged")
    func longAndUnicodeNames() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let staging = folder.appendingPathComponent("staging")
        let deep = String(repeating: "d", count: 110)
        try FileManager.default.createDirectory(
            at: staging.appendingPathComponent(deep), withIntermediateDirectories: true)
        let names = ["ключ-ünï", "\(deep)/long"]
        var members: [String] = []
        for (index, name) in names.enumerated() {
            let photo = ["photos/chelsea.jpg", "photos/coffee.jpg"][index]
            try Data(contentsOf: Fixtures.url(photo)).write(to: staging.appendingPathComponent("\(name).jpg"))
            try Data("caption \(index)".utf8).write(to: staging.appendingPathComponent("\(name).txt"))
            members += ["\(name).jpg", "\(name).txt"]
        }
        let shard = folder.appendingPathComponent("names.tar")
        try Self.makeShard(shard, from: staging, members: members, format: "gnu")
        let out = folder.appendingPathComponent("out")
        let result = try CurateBinary.run(
            ["apply", shard.path, "--policy", Fixtures.policy("audit-only.yaml"), "--out", out.path, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let kept = try Self.samples(of: out.appendingPathComponent("manifest.tar"))
        #expect(kept.map(\.key) == names)
        #expect(kept.first?.members["txt"] == Data("caption 0".utf8))
    }
}
