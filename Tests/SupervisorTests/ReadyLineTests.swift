import Supervisor
import Testing

@Suite struct ReadyLineTests {
    @Test func parsesTheContractLine() throws {
        let line = try #require(ReadyLine("ready db mysql://127.0.0.1:41234"))
        #expect(line.role == "db")
        #expect(line.scheme == "mysql")
        #expect(line.address == "127.0.0.1:41234")
        #expect(line.listenFlag == ["--listen", "127.0.0.1:41234"])
    }

    @Test func rejectsOtherLines() {
        #expect(ReadyLine("hello") == nil)
        #expect(ReadyLine("ready db") == nil)
        #expect(ReadyLine("ready db mysql://x extra") == nil)
        #expect(ReadyLine("") == nil)
    }

    @Test func pinsEachRolesAddresses() throws {
        #expect(try #require(ReadyLine("ready db unix:///tmp/s/mysql.sock")).listenFlag == ["--socket", "/tmp/s/mysql.sock"])
        #expect(try #require(ReadyLine("ready web https://127.0.0.1:8443")).listenFlag == ["--https", "127.0.0.1:8443"])
        #expect(try #require(ReadyLine("ready web http://[::1]:8080")).listenFlag == ["--http", "[::1]:8080"])
        #expect(try #require(ReadyLine("ready dns dns://127.0.0.1:40001")).listenFlag == ["--listen", "127.0.0.1:40001"])
        #expect(try #require(ReadyLine("ready app unix:///v/app-1.sock")).listenFlag == ["--listen", "unix:/v/app-1.sock"])
        #expect(try #require(ReadyLine("ready other x://y")).listenFlag == [])
    }
}
