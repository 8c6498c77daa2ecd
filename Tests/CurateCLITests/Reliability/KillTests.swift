import CurateTestSupport
import Detect
import Foundation
import Testing

/// SIGKILL at seeded random moments: the index stays sound and a rerun gives the same features; an `apply` output
/// folder is either absent or complete, and a rerun writes the same bytes.
@Suite(.serialized) struct KillTests {
    /// Files `apply` writes; all but `run.json` (timings) are byte-identical between runs.
    static let applyOutputs = [
        "manifest.jsonl", "clusters.jsonl", "triggers.json", "stats.json", "changes.jsonl", "removed.jsonl",
        "problems.jsonl", "run.json", "report.html",
    ]

    @Test("scan killed at 4 random moments and after its first commit: the index passes integrity_check and the rerun stores identical features")
    func scanSurvivesKill() throws {
        let folder = try Fixtures.temporaryFolder()
        let count = 288
        let manifest = try ReliabilityFiles.photoDataset(count: count, in: folder)
        let referencePath = folder.appendingPathComponent("reference/index.sqlite").path
        let killedPath = folder.appendingPathComponent("killed/index.sqlite").path

        let start = Date()
        let reference = try CurateBinary.run(["scan", manifest.path, "--index", referencePath, "--json", "--quiet"])
        let duration = Date().timeIntervalSince(start)
        #expect(reference.status == 0, "\(reference.stderr)")
        let referenceSummary = try summary(reference.stdout)
        #expect(referenceSummary["samples"] as? Int == count)
        #expect(referenceSummary["images_decoded"] as? Int == count, "every copy has its own bytes and is decoded")

        var generator = SeededGenerator(seed: 2026_11_29)
        var kills = 0
        var rounds = 0
        // Rounds go on until 4 have been killed mid-run (at most 12): on a loaded machine the reference scan's time
        // says little about a later run's, and a delay drawn from it can outlast the run.
        while kills < 4 && rounds < 12 {
            rounds += 1
            // Each round resumes the last one's index: only the images not yet stored are work left, so the kill
            // lands within the time they take (a warm lookup is fast; the full scan's time let rounds finish).
            // A round that ran to the end left nothing to kill: the next starts from an empty index.
            var stored = FileManager.default.fileExists(atPath: killedPath) ? try FeatureIndex(path: killedPath).imageCount() : 0
            if stored == count {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: killedPath + suffix) }
                stored = 0
            }
            let left = Double(count - stored) / Double(count)
            let delay = Double.random(in: 0.05...max(0.1, duration * 0.9 * left), using: &generator)
            let outcome = try KillableRun.run(
                ["scan", manifest.path, "--index", killedPath, "--quiet"], killAfter: delay)
            if outcome.killed { kills += 1 } else { #expect(outcome.status == 0) }
            if FileManager.default.fileExists(atPath: killedPath) {
                let index = try FeatureIndex(path: killedPath)
                #expect(try index.integrityCheck() == "ok")
                let stored = try index.imageCount()
                #expect(stored <= count)
                print("scan kill after \(String(format: "%.2f", delay)) s of \(String(format: "%.2f", duration)) s: "
                    + "killed \(outcome.killed), \(stored) images in the index, integrity ok")
            }
        }
        #expect(kills >= 3, "the scan took \(duration) s; \(kills) of \(rounds) rounds were killed mid-run")

        // One more kill, right after the first batch of 256 is committed: the rerun must keep those and decode
        // only the rest. If a random kill already landed between the commits, that index is the case; if a
        // random round ran to the end (a busy machine makes the reference slow), a fresh index is used.
        var resumePath = killedPath
        var committed = try FeatureIndex(path: killedPath).imageCount()
        if committed == count { resumePath = folder.appendingPathComponent("commit/index.sqlite").path }
        let watcher = try FeatureIndex(path: resumePath)
        committed = try watcher.imageCount()
        if committed == 0 {
            // One worker, so the last batch takes long enough for the kill to land before it commits.
            let triggered = try KillableRun.run(["scan", manifest.path, "--index", resumePath, "--quiet", "--jobs", "1"]) {
                elapsed in ((try? watcher.imageCount()) ?? 0) > 0 || elapsed > 120
            }
            #expect(triggered.killed)
            committed = try watcher.imageCount()
        }
        #expect(try watcher.integrityCheck() == "ok")
        #expect(committed >= 256 && committed < count, "killed after the first batch: \(committed) stored")
        print("scan kill after the first commit: \(committed) images in the index, integrity ok")

        let rerun = try CurateBinary.run(["scan", manifest.path, "--index", resumePath, "--json", "--quiet"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let rerunSummary = try summary(rerun.stdout)
        #expect(rerunSummary["samples"] as? Int == count)
        #expect(rerunSummary["errors"] as? Int == referenceSummary["errors"] as? Int)
        let decoded = rerunSummary["images_decoded"] as? Int ?? -1
        let cached = rerunSummary["images_cached"] as? Int ?? -1
        #expect(decoded + cached == count, "each image is either taken from the index or decoded once")
        #expect(cached == committed, "the batches committed before the kill are reused, not decoded again")
        if resumePath != killedPath {
            #expect(try CurateBinary.run(["scan", manifest.path, "--index", killedPath, "--quiet"]).status == 0)
        }

        // Identical features, image by image, on every index the kills touched.
        let images = try FileManager.default.contentsOfDirectory(
            at: folder.appendingPathComponent("images"), includingPropertiesForKeys: nil)
        let hashes = try images.map { ContentHash(of: try Data(contentsOf: $0)) }
        let expected = try FeatureIndex(path: referencePath).lookup(hashes)
        #expect(expected.count == count)
        for path in Set([killedPath, resumePath]) {
            #expect(try FeatureIndex(path: path).lookup(hashes) == expected)
            #expect(try FeatureIndex(path: path).integrityCheck() == "ok")
        }

        // And the statistics every later command builds on them.
        let statsReference = try CurateBinary.run(["stats", manifest.path, "--index", referencePath, "--json", "--quiet"])
        let statsKilled = try CurateBinary.run(["stats", manifest.path, "--index", killedPath, "--json", "--quiet"])
        #expect(statsReference.status == 0)
        #expect(statsReference.stdout == statsKilled.stdout)
        #expect(!statsReference.stdout.isEmpty)
    }

    @Test("apply killed at 8 random moments: --out is absent or complete, and the rerun writes the same bytes")
    func applySurvivesKill() throws {
        let demo = try Fixtures.demoCopy()
        let parent = demo.deletingLastPathComponent()
        func arguments(_ out: URL, force: Bool = false) -> [String] {
            [
                "apply", demo.appendingPathComponent("manifest.jsonl").path,
                "--embeddings", demo.appendingPathComponent("embeddings.npy").path,
                "--objects", demo.appendingPathComponent("objects.jsonl").path,
                "--policy", Fixtures.policy("mitigate-word-triggers.yaml"), "--out", out.path, "--quiet",
            ] + (force ? ["--force"] : [])
        }
        // Fill the index first, so every run does the same work.
        #expect(try CurateBinary.run(["scan", demo.appendingPathComponent("manifest.jsonl").path, "--quiet"]).status == 0)
        let referenceFolder = parent.appendingPathComponent("reference")
        let start = Date()
        let reference = try CurateBinary.run(arguments(referenceFolder))
        let duration = Date().timeIntervalSince(start)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try ReliabilityFiles.contents(of: referenceFolder)
        #expect(Set(expected.keys) == Set(Self.applyOutputs))

        var generator = SeededGenerator(seed: 4_025)
        var killed = 0
        var absent = 0
        for round in 0..<8 {
            let out = parent.appendingPathComponent("killed-\(round)")
            // Up to 1.2 × the reference time, so some kills land in the final writes and commit, or after the end.
            let delay = Double.random(in: 0.02...max(0.05, duration * 1.2), using: &generator)
            let outcome = try KillableRun.run(arguments(out), killAfter: delay)
            if outcome.killed { killed += 1 } else { #expect(outcome.status == 0, "round \(round) exited by itself: \(outcome.output)") }
            print("apply kill after \(String(format: "%.2f", delay)) s of \(String(format: "%.2f", duration)) s: "
                + "killed \(outcome.killed), output \(FileManager.default.fileExists(atPath: out.path) ? "complete" : "absent")")
            if FileManager.default.fileExists(atPath: out.path) {
                // Complete: every file present, parseable, and (the run being deterministic) the reference's bytes.
                let files = try ReliabilityFiles.contents(of: out)
                #expect(Set(files.keys) == Set(Self.applyOutputs), "round \(round): \(files.keys.sorted()) \(outcome.output)")
                try expectParseable(out)
                for (name, data) in expected where name != "run.json" {
                    #expect(files[name] == data, "round \(round): \(name) differs from the reference (\(files[name]?.count ?? -1) bytes)")
                }
            } else {
                absent += 1
            }
            let rerun = try CurateBinary.run(arguments(out, force: FileManager.default.fileExists(atPath: out.path)))
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let files = try ReliabilityFiles.contents(of: out)
            #expect(Set(files.keys) == Set(Self.applyOutputs))
            for (name, data) in expected where name != "run.json" {
                #expect(files[name] == data, "round \(round) rerun: \(name) differs from the reference")
            }
        }
        #expect(killed >= 2, "apply took \(duration) s; most rounds should have been killed mid-run")
        #expect(absent >= 1)
        // The rerun removed the staging folder the killed run left: nothing hidden is left beside the outputs.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    private func summary(_ stdout: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Every JSON and JSONL file parses; the report ends with its closing tag.
    private func expectParseable(_ folder: URL) throws {
        for name in Self.applyOutputs {
            let url = folder.appendingPathComponent(name)
            if name.hasSuffix(".jsonl") {
                for line in try Output.lines(url) {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(name): \(line.prefix(80))")
                }
            } else if name.hasSuffix(".json") {
                #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) != nil, "\(name)")
            } else {
                let text = try String(contentsOf: url, encoding: .utf8)
                #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</html>"), "\(name)")
            }
        }
    }
}
