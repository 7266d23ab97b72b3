import Foundation
import Testing

/// Headless Chromium loads the landing page, its stylesheet and its logo from the front
/// and takes a screenshot; the accent colour appears only if the CSS and SVG arrived.
@Suite struct WebBrowserTests {
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: chromium != nil, "needs Debian's chromium"))
    func pageRendersWithItsStylesheetAndLogo() throws {
        let web = try WebFixture()
        let shot = web.directory.appendingPathComponent("page.png")
        let profile = web.directory.appendingPathComponent("profile")
        _ = try runTool("timeout", ["-s", "KILL", "60", Self.chromium!,
            "--headless", "--no-sandbox", "--no-first-run", "--disable-crash-reporter", "--disable-breakpad", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--ignore-certificate-errors", "--host-resolver-rules=MAP www.foobar.com 127.0.0.1",
            "--user-data-dir=\(profile.path)", "--window-size=1200,900", "--screenshot=\(shot.path)",
            "--virtual-time-budget=5000", "https://www.foobar.com:\(web.httpsPort)/",
        ])
        #expect(FileManager.default.fileExists(atPath: shot.path))
        let analysis = try runTool("python3", [OneboxProcess.packageRoot.appendingPathComponent("Tools/png-colors.py").path, shot.path, "d9480f"]).output
        let fields = Dictionary(uniqueKeysWithValues: analysis.split(whereSeparator: \.isWhitespace).compactMap { pair -> (String, Int)? in
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[1]) else { return nil }
            return (String(parts[0]), value)
        })
        #expect((fields["distinct"] ?? 0) > 50, "blank screenshot: \(analysis)")
        #expect((fields["match"] ?? 0) > 500, "no accent colour, CSS or logo missing: \(analysis)")
    }
}
