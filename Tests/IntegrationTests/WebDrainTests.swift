import Foundation
import Testing

/// A front stopped gracefully (the old front of an upgrade) with a TLS connection that
/// was accepted but still negotiating when the stop began: the connection must learn of
/// the stop once its HTTP handlers exist — HTTP/1.1 answers its request with
/// `Connection: close` and ends it, HTTP/2 sends GOAWAY — instead of being served as
/// keep-alive until the process exits under it. Driven by Tools/drain-check.py.
@Suite struct WebDrainTests {
    @Test(arguments: ["http/1.1", "h2"])
    func connectionStillNegotiatingIsToldToClose(alpn: String) throws {
        let web = try WebFixture()
        let run = try runProcess("/usr/bin/python3", [
            OneboxProcess.packageRoot.appendingPathComponent("Tools/drain-check.py").path,
            "--port", String(web.httpsPort), "--pid", String(web.process.process.processIdentifier), "--alpn", alpn,
        ])
        try #require(run.status == 0, "\(run.output)\nweb: \(web.process.errorText.suffix(2000))")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(result["alpn"] as? String == alpn)
        if alpn == "h2" {
            #expect((result["frameTypes"] as? [Int])?.contains(7) == true, "no GOAWAY: \(result)")
        } else {
            let head = try #require(result["head"] as? String)
            #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
            #expect(head.lowercased().contains("\r\nconnection: close"), "\(head)")
            #expect(result["closed"] as? Bool == true)
        }
        #expect(web.process.stop() == 0)
    }
}
