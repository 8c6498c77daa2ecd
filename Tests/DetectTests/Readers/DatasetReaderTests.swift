import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct DatasetReaderTests {
    @Test("picks the reader for each kind of input and numbers samples across all of them")
    func readsMixedInputs() throws {
        let inputs = [
            readerFixture("manifests/basic.jsonl"), readerFixture("manifests/basic.csv"),
            readerFixture("folder_txt"), readerFixture("shards/00000.tar"),
        ]
        let reader = try DatasetReader(inputs: inputs, fields: FieldNames())
        #expect(reader.inputs.map(\.kind) == [.jsonl, .csv, .folder, .webdataset])
        let outcome = try readAll(reader)
        #expect(outcome.samples.count == 4 + 3 + 5 + 3)
        #expect(outcome.samples.map(\.ordinal) == Array(0..<15))
        #expect(outcome.samples.first?.key == "cat")
        #expect(outcome.samples.last?.key == "s002")
    }

    @Test("brace ranges, brace lists and globs expand to sorted shard lists")
    func expandsShardPatterns() throws {
        let shards = readerFixture("shards")
        #expect(
            try InputPattern.expand(shards + "/{00000..00001}.tar") == [shards + "/00000.tar", shards + "/00001.tar"])
        #expect(try InputPattern.expand(shards + "/{evil,00001}.tar") == [shards + "/evil.tar", shards + "/00001.tar"])
        #expect(try InputPattern.expand(shards + "/0000*.tar") == [shards + "/00000.tar", shards + "/00001.tar"])
        #expect(try InputPattern.expand("s/{8..10}.tar") == ["s/8.tar", "s/9.tar", "s/10.tar"])
        #expect(try InputPattern.expand("s/{08..10}.tar") == ["s/08.tar", "s/09.tar", "s/10.tar"])
        #expect(try InputPattern.expand("{a,b}/{0..1}") == ["a/0", "a/1", "b/0", "b/1"])
        #expect(throws: DatasetInputError.self) { try InputPattern.expand("s/{00000..00009.tar") }
        #expect(throws: DatasetInputError.self) { try InputPattern.expand(shards + "/nothing-*.tar") }

        let outcome = try readAll(try DatasetReader(inputs: [shards + "/{00000..00001}.tar"], fields: FieldNames()))
        #expect(outcome.samples.map(\.key) == ["s000", "s001", "s002", "sub/s100", "s102"])
    }

    @Test("a folder of shards reads its tar files in name order")
    func readsFolderOfShards() throws {
        let reader = try DatasetReader(inputs: [readerFixture("shards")], fields: FieldNames())
        #expect(
            reader.inputs.map { ($0.path as NSString).lastPathComponent } == [
                "00000.tar", "00001.tar", "evil.tar", "truncated.tar",
            ])
        #expect(reader.inputs.allSatisfy { $0.kind == .webdataset })
    }

    @Test("a duplicate key is reported, and its sample still yielded under a name of its own")
    func reportsDuplicateKeys() throws {
        let path = readerFixture("manifests/basic.jsonl")
        let lz4 = readerFixture("manifests/basic.jsonl.lz4")
        let outcome = try readAll(try DatasetReader(inputs: [path, lz4], fields: FieldNames()))
        #expect(outcome.samples.count == 8)
        let duplicates = outcome.problems(.duplicateKey)
        #expect(duplicates.map(\.key) == ["cat~2", "7~2", "4~2", "12345678901234567890~2"])
        #expect(duplicates.allSatisfy { $0.origin.file == lz4 && $0.message.contains("already used") })
        #expect(duplicates.map(\.origin.line) == [1, 2, 4, 6])
        // Keys name one sample each (clusters and the report go by key); the record keeps its own key field.
        #expect(Set(outcome.samples.map(\.key)).count == outcome.samples.count)
        let renamed = try #require(outcome.samples.first { $0.key == "cat~2" })
        #expect(renamed.record["key"] == "\"cat\"")

        let within = try readAll(
            try DatasetReader(inputs: [readerFixture("manifests/bad.jsonl")], fields: FieldNames()))
        let duplicate = try #require(within.problems(.duplicateKey).first)
        #expect(duplicate.key == "good~2")
        #expect(duplicate.origin.line == 6)
        #expect(within.samples.map(\.key).filter { $0.hasPrefix("good") } == ["good", "good~2"])
    }

    @Test("field overrides reach every manifest reader")
    func passesOverrides() throws {
        let outcome = try readAll(
            try DatasetReader(
                inputs: [readerFixture("manifests/overrides.jsonl")],
                fields: FieldNames(key: "uid", image: "picture", caption: "alt")))
        #expect(outcome.samples.map(\.caption) == ["override caption"])
    }

    @Test("a manifest of samples none of which has an image field fails its check, naming it, its columns and the flag")
    func checksImageField() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func input(_ name: String, _ text: String) throws -> DatasetInput {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return try #require(try DatasetInput.resolve(url.path).first)
        }
        let noImage = try input("no-image.csv", "Key,Picture,Caption\nk0,a.jpg,one\nk1,b.jpg,two\n")
        #expect { try noImage.checkImageField(fields: FieldNames()) } throws: { error in
            guard let error = error as? DatasetInputError else { return false }
            return error.path == noImage.path && error.message.contains("none of its 2 rows has an image field")
                && error.message.contains(#""Key", "Picture", "Caption""#) && error.message.contains("--image-field")
        }
        // Named, the column is found in any case; a name it does not have is said as given.
        try noImage.checkImageField(fields: FieldNames(image: "picture"))
        #expect { try noImage.checkImageField(fields: FieldNames(image: "photo")) } throws: { error in
            (error as? DatasetInputError)?.message.contains(#"looked for "photo""#) == true
        }
        let jsonl = try input("no-image.jsonl", #"{"key": "a", "pic": "a.jpg"}"# + "\n")
        #expect { try jsonl.checkImageField(fields: FieldNames()) } throws: { error in
            (error as? DatasetInputError)?.message.contains(#"its one row has no image field"#) == true
        }
        // One row without an image among rows with one stays that row's problem; no row at all is no error here.
        try input("one-missing.jsonl", #"{"key": "a"}"# + "\n" + #"{"key": "b", "image": "b.jpg"}"# + "\n")
            .checkImageField(fields: FieldNames())
        try input("header-only.csv", "key,caption\n").checkImageField(fields: FieldNames())
        try input("empty.jsonl", "").checkImageField(fields: FieldNames())
        try #require(try DatasetInput.resolve(readerFixture("manifests/capitals.csv")).first)
            .checkImageField(fields: FieldNames())
        try #require(try DatasetInput.resolve(readerFixture("folder_txt")).first).checkImageField(fields: FieldNames())
    }

    @Test("an input that does not exist or whose kind cannot be told stops the run with the path and a fix")
    func throwsForUnusableInputs() throws {
        let missing = readerFixture("manifests/nope.jsonl")
        #expect { try DatasetReader(inputs: [missing], fields: FieldNames()) } throws: { error in
            guard let error = error as? DatasetInputError else { return false }
            return error.path == missing && error.message.contains("no such file")
        }
        let unknown = readerFixture("make_fixtures.py")
        #expect { try DatasetReader(inputs: [unknown], fields: FieldNames()) } throws: { error in
            guard let error = error as? DatasetInputError else { return false }
            return error.path == unknown && error.description.contains(".jsonl")
        }
    }
}

@Suite struct DatasetReaderImageOrdinalsTests {
    @Test("with imageOrdinals, only those samples' image paths are looked up; records and keys are unchanged")
    func looksUpOnlyTheGivenOrdinals() throws {
        // A third manifest names a file that is not there and one outside its folder.
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.jsonl")
        let lines = ["{\"key\": \"gone\", \"image\": \"gone.jpg\"}", "{\"key\": \"out\", \"image\": \"../out.jpg\"}"]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: broken)
        let inputs = [readerFixture("manifests/basic.jsonl"), readerFixture("manifests/basic.csv"), broken.path]
        let full = try readAll(try DatasetReader(inputs: inputs, fields: FieldNames()))
        // One sample of each good input, so the second input's ordinals are counted from the first's end.
        let wanted: Set<Int> = [0, full.samples.count - 3]
        var restricted = try DatasetReader(inputs: inputs, fields: FieldNames())
        restricted.imageOrdinals = wanted
        let replay = try readAll(restricted)
        #expect(replay.samples.map(\.key) == full.samples.map(\.key))
        #expect(replay.samples.map(\.record) == full.samples.map(\.record))
        for (ordinal, source) in replay.sources.enumerated() {
            if wanted.contains(ordinal) {
                #expect(source == full.sources[ordinal], "sample \(ordinal)")
                #expect(source.isReadable, "sample \(ordinal)")
            } else {
                #expect(source == .missing(.missingImage), "sample \(ordinal)")
            }
        }
        // The full read looked every path up; the restricted one reported nothing about images it did not look at.
        #expect(full.sources.filter(\.isReadable).count > wanted.count)
        let imageKinds: Set<ProblemKind> = [.missingImage, .pathEscape, .remoteImage]
        #expect(replay.problems.filter { imageKinds.contains($0.kind) }.isEmpty)
        #expect(!full.problems.filter { imageKinds.contains($0.kind) }.isEmpty)
    }
}
