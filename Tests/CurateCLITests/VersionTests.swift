import CurateTestSupport
import Testing

@Suite struct VersionTests {
    @Test("curate --version prints the tool version")
    func version() throws {
        let result = try CurateBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }
}
