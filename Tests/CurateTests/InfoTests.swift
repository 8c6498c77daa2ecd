import Curate
import Detect
import Testing

@Suite struct InfoTests {
    @Test("Curate reports the same version as Detect")
    func versionsAgree() {
        #expect(CurateInfo.version == DetectInfo.version)
    }
}
