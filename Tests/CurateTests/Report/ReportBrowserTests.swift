import Curate
import CurateTestSupport
import Foundation
import Testing

/// Opens the fixture's report in headless Chromium; skipped where `chromium` is not on PATH.
@Suite(.serialized) struct ReportBrowserTests {
    static let chromium: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("chromium")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// Runs Chromium with `arguments`, killing it after `timeout` seconds; returns stdout.
    static func run(_ arguments: [String], timeout: TimeInterval = 20) throws -> String {
        let process = Process()
        process.executableURL = chromium
        // No name resolves and no proxy or component fetch starts, so any request the page tried would fail and
        // show in the net log.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + (try Fixtures.temporaryFolder()).path,
        ] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        nonisolated(unsafe) var output = Data()
        let reader = Thread { output = out.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return String(decoding: output, as: UTF8.self)
    }

    /// URLs of the requests a page started, read from a Chromium net log.
    ///
    /// Chromium's own background fetches (network time, component updates) carry the initiator "not an origin";
    /// a request made by a `file://` page carries its opaque origin, "null".
    static func pageRequests(netLog: URL) throws -> [String] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: netLog)) as? [String: Any])
        let constants = try #require(root["constants"] as? [String: Any])
        let types = try #require(constants["logEventTypes"] as? [String: Int])
        let startJob = try #require(types["URL_REQUEST_START_JOB"])
        let events = try #require(root["events"] as? [[String: Any]])
        return events.compactMap { event in
            guard event["type"] as? Int == startJob, let params = event["params"] as? [String: Any],
                params["initiator"] as? String != "not an origin"
            else { return nil }
            return params["url"] as? String
        }
    }

    @Test("Chromium renders the sections, thumbnails and charts without any network request", .enabled(if: chromium != nil))
    func rendersOffline() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        try Data(try ReportFixture.html().utf8).write(to: page)
        let netLog = folder.appendingPathComponent("net.json")
        let dom = try Self.run(["--log-net-log=\(netLog.path)", "--dump-dom", page.absoluteString])
        for id in ReportBuilderTests.sections { #expect(dom.contains("id=\"\(id)\""), "section \(id) in the DOM") }
        #expect(dom.occurrences(of: "<img src=\"data:image/jpeg;base64,") >= 40)
        #expect(dom.occurrences(of: "<svg id=\"chart-") == 5)
        // The sorter ran: headings became buttons.
        #expect(dom.contains("<th scope=\"col\" data-sort=\"text\"><button type=\"button\">Term</button></th>"))

        let requests = try Self.pageRequests(netLog: netLog)
        #expect(requests.allSatisfy { !$0.hasPrefix("http") && !$0.hasPrefix("ws") }, "page requested \(requests)")

        // Control: the same check does see a page that loads from the network.
        let control = folder.appendingPathComponent("control.html")
        try Data("<html><body><img src=\"http://example.com/x.png\" alt=\"\"></body></html>".utf8).write(to: control)
        let controlLog = folder.appendingPathComponent("control.json")
        _ = try Self.run(["--log-net-log=\(controlLog.path)", "--dump-dom", control.absoluteString])
        #expect(try Self.pageRequests(netLog: controlLog).contains("http://example.com/x.png"))

        let screenshot = folder.appendingPathComponent("report.png")
        _ = try Self.run(["--screenshot=\(screenshot.path)", "--window-size=1280,2000", "--hide-scrollbars", page.absoluteString])
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 50_000)
        if let keep = ProcessInfo.processInfo.environment["CURATE_REPORT_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: screenshot, to: URL(fileURLWithPath: keep))
            try Data(try ReportFixture.html().utf8).write(to: URL(fileURLWithPath: keep + ".html"))
        }
    }
}
