import CurateTestSupport
@testable import Detect
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
        #expect(outcome.samples.map(\.key) == ["t1", "t2"])
        #expect(outcome.sample("t2")?.caption == "multi\nline")
        #expect(outcome.source("t2")?.fileURL?.lastPathComponent == "rocket.webp")
        // "t1" has four cells under a three-column header: a sample still, its fourth cell kept unnamed.
        #expect(outcome.sample("t1")?.caption == "a cat")
        #expect(outcome.sample("t1")?.record.extraCells == ["sitting"])
        let ragged = try #require(outcome.problems(.malformedLine).first)
        #expect(ragged.origin == SampleOrigin(file: path, line: 2))
        #expect(ragged.key == "t1")
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
        "every row is a sample, as pandas reads it: short rows get empty cells, long ones keep theirs, text after a closing quote goes on the cell; only the long row is a problem"
    )
    func readsRaggedRows() throws {
        let path = readerFixture("manifests/ragged.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: ","))
        #expect(outcome.samples.map(\.key) == ["2", "3", "4", "5", "6"])
        #expect(outcome.samples.map(\.caption) == ["ok", "too", "", "badx", "last"])
        #expect(outcome.samples.map(\.record.extraCells) == [[], ["many"], [], [], []])
        #expect(outcome.samples.allSatisfy { $0.record.fields.map(\.name) == ["image", "caption"] })
        // Each row keeps its text as written, for the writer to pass through.
        #expect(outcome.samples.map(\.record.sourceText) == [
            "images/cat.jpg,ok", "images/cat.jpg,too,many", "images/astronaut.jpg", "images/coffee.png,\"bad\"x",
            "images/rocket.webp,last",
        ])
        let problems = outcome.problems(.malformedLine)
        #expect(problems.map(\.origin) == [SampleOrigin(file: path, line: 3)])
        #expect(problems.first?.key == "3")
        #expect(problems.first?.message.contains("3 cells but the header has 2") == true)
    }

    @Test("rows that trimmed their trailing empty cells, and rows with cells past the header, are all samples")
    func readsShortAndLongTSVRows() throws {
        let path = readerFixture("manifests/short.tsv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: "\t"))
        #expect(outcome.samples.map(\.key) == ["s0", "s1", "s2", "s3", "s4"])
        #expect(outcome.samples.map(\.caption) == ["cap zero", "cap one", "", "cap three", "cap four"])
        #expect(outcome.samples.map { $0.record["source"] } == ["web", "", "", "web", "web"])
        #expect(outcome.samples.map(\.record.extraCells) == [[], [], [], ["EXTRA", "MORE"], [""]])
        #expect(outcome.sources.allSatisfy { $0.fileURL != nil })
        // Only cells past the header that hold text are worth a problem: a trailing tab loses nothing.
        let problems = outcome.problems(.malformedLine)
        #expect(problems.map(\.origin.line) == [5])
        #expect(problems.first?.key == "s3")
        #expect(outcome.problems.count == 1, "\(outcome.problems)")
    }

    @Test("a quote left open to the end of the file ends there; the row is a sample and a problem")
    func reportsUnterminatedQuote() throws {
        let path = readerFixture("manifests/unterminated.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: ","))
        #expect(outcome.samples.map(\.caption) == ["never closed"])
        let problem = try #require(outcome.problems.first)
        #expect(problem.kind == .malformedLine)
        #expect(problem.origin == SampleOrigin(file: path, line: 2))
        #expect(problem.key == "2")
        #expect(problem.message.contains("never closed"))
        // Its quoting was repaired, so it has no bytes to be written back as.
        #expect(outcome.samples.first?.record.source == nil)
    }

    @Test("a quote never closed ends with its line, and the lines after it are read as rows")
    func recoversAfterOpenQuote() throws {
        let path = readerFixture("manifests/open-quote.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: nil))
        #expect(outcome.samples.map(\.key) == ["q0", "q1", "q2"])
        #expect(outcome.samples.map(\.caption) == ["never closed", "fine", "last"])
        #expect(outcome.samples.map(\.origin.line) == [2, 3, 4])
        #expect(outcome.samples.map { $0.record.source != nil } == [false, true, true])
        let problem = try #require(outcome.problems.first)
        #expect(outcome.problems.count == 1)
        #expect(problem.kind == .malformedLine)
        #expect(problem.origin == SampleOrigin(file: path, line: 2))
        #expect(problem.key == "q0")
        #expect(problem.message.contains("line 2 is never closed"), "\(problem.message)")
    }

    @Test("a .csv file's delimiter is told from its header: semicolons split cells, commas are text")
    func detectsSemicolons() throws {
        let path = readerFixture("manifests/semicolon.csv")
        #expect(DelimitedTextReader.delimiter(forPath: path) == nil)
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: nil))
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.samples.map(\.key) == ["m0", "m1"])
        #expect(outcome.samples.map(\.caption) == ["a cat; on a sofa", "plain, with a comma"])
        #expect(outcome.sources.allSatisfy { $0.fileURL != nil })
        let header = try #require(DelimitedTextReader.headerRow(path: path))
        #expect(header.delimiter == ";")
        #expect(header.names == ["key", "image", "caption"])
        #expect(header.bytes == Array("key;image;caption".utf8))
        // Through DatasetReader, which reads every .csv this way.
        let viaDataset = try readAll(try DatasetReader(inputs: [path]))
        #expect(viaDataset.samples.map(\.caption) == outcome.samples.map(\.caption))
    }

    @Test("the delimiter is the one that splits the header into the most cells outside quotes", arguments: [
        ("key,image,caption", ","), ("key;image;caption", ";"), ("key\timage\tcaption", "\t"),
        ("\"a;b\",c", ","), ("\"a,b\";c;d", ";"), ("caption", ","), ("a;b,c", ","),
    ] as [(String, Character)])
    func detectsDelimiter(header: String, delimiter: Character) {
        #expect(CSVRowParser.detectDelimiter(in: Array((header + "\nx;y;z;w\n").utf8)) == delimiter.asciiValue)
    }

    @Test("header names match the aliases in any letter case")
    func capitalHeader() throws {
        let path = readerFixture("manifests/capitals.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: nil))
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        let sample = try #require(outcome.samples.first)
        #expect(sample.key == "k0")
        #expect(sample.caption == "capital header")
        #expect(sample.image == "images/cat.jpg")
        #expect(FieldNames().roles(in: sample.record) == FieldRoles(key: "Key", image: "IMAGE", caption: "Caption"))
    }

    @Test("invalid UTF-8 in a cell is reported and decoded lossily; the record keeps the row's exact bytes")
    func keepsInvalidUTF8() throws {
        let path = readerFixture("manifests/latin1.csv")
        let outcome = try readAll(try DelimitedTextReader(path: path, delimiter: ","))
        #expect(outcome.samples.first?.caption == "caf\u{FFFD}")
        #expect(outcome.samples.first?.record.source == Array("images/cat.jpg,caf".utf8) + [0xE9])
        let problem = try #require(outcome.problems(.invalidUTF8).first)
        #expect(problem.origin == SampleOrigin(file: path, line: 2))
        #expect(problem.key == "2")
    }

    @Test("in a TSV a cell only opens quotes when it reads as quoted; a CSV reads as Python's csv; rows keep their text")
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

        // Python's csv module: text after the closing quote goes on the cell, and quotes after it are text.
        let csv = folder.appendingPathComponent("m.csv")
        try Data("key,caption\nk1,\"hello\" world\nk2,fine\nk3,\"ok\"trailing\"\"\n".utf8).write(to: csv)
        let python = try readAll(try DelimitedTextReader(path: csv.path, delimiter: ","))
        #expect(python.problems(.malformedLine).isEmpty, "\(python.problems)")
        #expect(python.samples.map(\.caption) == ["hello world", "fine", "oktrailing\"\""])
    }
}
