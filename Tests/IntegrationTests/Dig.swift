import Foundation

/// One answer as `dig` printed it, split into the parts tests look at.
struct DigAnswer: CustomStringConvertible {
    let raw: String
    var status = ""
    var flags: Set<String> = []
    var ednsUDPSize: Int?
    var answer: [DigRecord] = []
    var authority: [DigRecord] = []
    var additional: [DigRecord] = []

    var description: String { raw }

    /// The data of every answer record of `type`, in order.
    func answerData(_ type: String) -> [String] {
        answer.filter { $0.type == type }.map(\.data)
    }
}

/// A resource record line: `www.foobar.com. 3600 IN CNAME foobar.com.`
struct DigRecord: Equatable {
    let name: String
    let ttl: Int
    let type: String
    let data: String
}

/// Runs the real `dig` against a server and parses its full output.
enum Dig {
    static func query(_ server: String = "127.0.0.1", port: Int, _ name: String, _ type: String = "A",
                      _ options: [String] = []) throws -> DigAnswer {
        let arguments = ["@\(server)", "-p", "\(port)", "+time=3", "+tries=1", "+norecurse", name, type] + options
        let (_, output) = try runTool("dig", arguments)
        return parse(output)
    }

    static func parse(_ output: String) -> DigAnswer {
        var result = DigAnswer(raw: output)
        var section: WritableKeyPath<DigAnswer, [DigRecord]>?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix(";; ->>HEADER<<-"), let range = line.range(of: "status: ") {
                result.status = String(line[range.upperBound...].prefix { $0 != "," })
            } else if line.hasPrefix(";; flags:") {
                let flagText = line.dropFirst(";; flags:".count).prefix { $0 != ";" }
                result.flags = Set(flagText.split(separator: " ").map(String.init))
            } else if line.hasPrefix("; EDNS:"), let range = line.range(of: "udp: ") {
                result.ednsUDPSize = Int(line[range.upperBound...].prefix { $0.isNumber })
            } else if line.hasPrefix(";; ANSWER SECTION:") {
                section = \.answer
            } else if line.hasPrefix(";; AUTHORITY SECTION:") {
                section = \.authority
            } else if line.hasPrefix(";; ADDITIONAL SECTION:") {
                section = \.additional
            } else if line.isEmpty || line.hasPrefix(";") {
                if line.isEmpty { section = nil }
            } else if let section {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if fields.count >= 4, let ttl = Int(fields[1]) {
                    result[keyPath: section].append(DigRecord(
                        name: fields[0], ttl: ttl, type: fields[3], data: fields.dropFirst(4).joined(separator: " ")))
                }
            }
        }
        return result
    }
}

extension Dig {
    /// `dig AXFR`: the records transferred, or none when the transfer failed.
    static func transfer(_ server: String = "127.0.0.1", port: Int, zone: String) throws -> (records: [DigRecord], raw: String) {
        let (_, output) = try runTool("dig", ["@\(server)", "-p", "\(port)", "+time=5", "+tries=1", zone, "AXFR"])
        let records = output.split(separator: "\n").compactMap { line -> DigRecord? in
            guard !line.hasPrefix(";") else { return nil }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count >= 4, let ttl = Int(fields[1]) else { return nil }
            return DigRecord(name: fields[0], ttl: ttl, type: fields[3], data: fields.dropFirst(4).joined(separator: " "))
        }
        return (records, output)
    }
}
