import CurateTestSupport
import Detect
import Foundation
import Testing

@Suite struct DelimitedTextReaderTests {
    @Test("reads CSV with quoted commas, doubled quotes and an embedded CRLF; lines are each record's first line")
    func readsCSV() throws {
        let path = readerFixture("manifests/basic.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: ","))
        #expect(outcome.problems.isEmpty)
        #expect(outcome.samples.map(\.key) == ["c1", "c2", "c3"])
        #expect(outcome.samples.map(\.origin.line) == [2, 3, 6])
        #expect(outcome.samples.map(\.caption) == ["a cat, on a sofa", "she said \"hi\"\r\nand left", "plain"])
        let first = try #require(outcome.samples.first)
        #expect(first.record.encoding == .text)
        #expect(first.record.fields.map(\.name) == ["key", "url", "caption", "score"])
        #expect(first.record["score"] == "1.50")
        #expect(first.image == "images/cat.jpg")
        #expect(outcome.sources.allSatisfy { $0.fileURL != nil })
    }

    @Test("an lz4-compressed CSV reads the same as the plain one, through DatasetReader")
    func readsLZ4() throws {
        let plain = try readAll(try DatasetReader(inputs: [readerFixture("manifests/basic.csv")], fields: FieldNames()))
        let reader = try DatasetReader(inputs: [readerFixture("manifests/basic.csv.lz4")], fields: FieldNames())
        #expect(reader.inputs.map(\.kind) == [.csv])
        let compressed = try readAll(reader)
        #expect(compressed.samples.map(\.record) == plain.samples.map(\.record))
        #expect(compressed.samples.map(\.origin.line) == [2, 3, 6])
    }

    @Test("reads TSV with the text alias and a quoted multi-line cell")
    func readsTSV() throws {
        let path = readerFixture("manifests/basic.tsv")
        #expect(DelimitedTextReader.delimiter(forPath: path) == "\t")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: "\t"))
        #expect(outcome.samples.map(\.key) == ["t2"])
        #expect(outcome.sample("t2")?.caption == "multi\nline")
        #expect(outcome.source("t2")?.fileURL?.lastPathComponent == "rocket.webp")
        // "t1" has four cells under a three-column header.
        let ragged = try #require(outcome.problems(.malformedLine).first)
        #expect(ragged.origin == SampleOrigin(file: path, line: 2))
        #expect(ragged.message.contains("4 cells"))
    }

    @Test("a UTF-8 byte order mark before the header is skipped")
    func skipsBOM() throws {
        let outcome = try readAll(try DelimitedTextReader(path: readerFixture("manifests/bom.csv"), delimiter: ","))
        #expect(outcome.problems.isEmpty)
        let sample = try #require(outcome.samples.first)
        #expect(sample.record.fields.first?.name == "key")
        #expect(sample.key == "b1")
        #expect(sample.caption == "with bom")
    }

    @Test(
        "ragged rows and bad quoting are problems with line numbers; other rows are read; missing keys are line numbers"
    )
    func reportsRaggedRows() throws {
        let path = readerFixture("manifests/ragged.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: ","))
        #expect(outcome.samples.map(\.key) == ["2", "6"])
        #expect(outcome.samples.map(\.caption) == ["ok", "last"])
        let problems = outcome.problems(.malformedLine)
        #expect(problems.map(\.origin.line) == [3, 4, 5])
        #expect(problems.allSatisfy { $0.origin.file == path })
        #expect(problems[2].message.contains("closing quote"))
    }

    @Test("a quote left open to the end of the file is a malformed record")
    func reportsUnterminatedQuote() throws {
        let path = readerFixture("manifests/unterminated.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: ","))
        #expect(outcome.samples.isEmpty)
        let problem = try #require(outcome.problems.first)
        #expect(problem.kind == .malformedLine)
        #expect(problem.origin.line == 2)
        #expect(problem.message.contains("unterminated"))
    }

    @Test("invalid UTF-8 in a cell is reported and decoded lossily")
    func keepsInvalidUTF8() throws {
        let path = readerFixture("manifests/latin1.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: ","))
        #expect(outcome.samples.first?.caption == "caf\u{FFFD}")
        let problem = try #require(outcome.problems(.invalidUTF8).first)
        #expect(problem.origin == SampleOrigin(file: path, line: 2))
        #expect(problem.key == "2")
    }

    @Test("in a TSV a cell only opens quotes when it reads as quoted; CSV keeps RFC 4180; rows keep their text")
    func lenientTSVQuotes() throws {
        let folder = try Fixtures.temporaryFolder()
        let tsv = folder.appendingPathComponent("m.tsv")
        let rows = ["k1\t\"hello\" world\tx", "k2\t5\" screen\ty", "k3\t\"a\tb\"\tz", "k4\t\"say \"\"hi\"\"\"\tw"]
        try Data(("key\tcaption\textra\r\n" + rows.joined(separator: "\r\n") + "\r\n").utf8).write(to: tsv)
        let outcome = try readAll(try DelimitedTextReader(path: tsv.path, delimiter: "\t"))
        #expect(outcome.problems(.malformedLine).isEmpty, "\(outcome.problems)")
        #expect(outcome.samples.map(\.caption) == ["\"hello\" world", "5\" screen", "a\tb", "say \"hi\""])
        #expect(outcome.samples.map(\.record.sourceText) == rows)
        #expect(DelimitedTextReader.headerRow(path: tsv.path)?.names == ["key", "caption", "extra"])

        let csv = folder.appendingPathComponent("m.csv")
        try Data("key,caption\nk1,\"hello\" world\nk2,fine\n".utf8).write(to: csv)
        let strict = try readAll(try DelimitedTextReader(path: csv.path, delimiter: ","))
        #expect(strict.problems(.malformedLine).count == 1)
        #expect(strict.samples.map(\.key) == ["k2"])
    }
}
