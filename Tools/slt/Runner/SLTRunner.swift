import Foundation
import SQLEngine

/// One .test file run against a fresh in-memory-backed engine, as shared/slt/run.py does over
/// the protocol: records split on blank lines, skipif/onlyif for engine "mysql", statement
/// ok/error, query with I/T/R rendering, sort modes, hash-threshold and md5 hashing.
public struct SLTResult {
    public var passed = 0
    public var failed = 0
    public var skipped = 0
    public var failures: [String] = []
    /// The first line of each failed record (run.py's `failed_lines`, for --xfail lists).
    public var failedLines: [Int] = []
    public var error: String?
}

public enum SLTRunner {
    /// Runs one .test file against a fresh engine in a temporary directory.
    public static func run(file: String) -> SLTResult {
        var result = SLTResult()
        guard let data = FileManager.default.contents(atPath: file) else {
            result.error = "cannot read"
            return result
        }
        let text = String(decoding: data, as: UTF8.self)
        let dir = NSTemporaryDirectory() + "slt-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = EngineOptions()
        options.pageStoreOptions.durability = .relaxed(flushIntervalMilliseconds: 1000)
        guard let engine = try? Engine.open(path: dir + "/slt.pagestore", options: options) else {
            result.error = "cannot open engine"
            return result
        }
        _ = try? engine.bootstrapIfEmpty(rootPassword: "")
        let session = engine.makeSession(connectionID: 1, user: "root", host: "localhost")
        defer { session.close(); try? engine.close() }
        _ = try? session.execute(Array("CREATE DATABASE slt".utf8), multiStatements: false) { _ in }
        try? session.useDatabase("slt")

        var hashThreshold = 8
        for record in parseRecords(text) {
            var lines = record.lines
            var skip = false
            while let first = lines.first {
                let toks = first.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard let head = toks.first, head == "skipif" || head == "onlyif" else { break }
                let target = toks.count > 1 ? toks[1].lowercased() : ""
                if head == "skipif" && target == "mysql" { skip = true }
                if head == "onlyif" && target != "mysql" { skip = true }
                lines.removeFirst()
            }
            guard let command = lines.first else { continue }
            let toks = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let head = toks.first else { continue }
            let body = Array(lines.dropFirst())
            if skip { result.skipped += 1; continue }
            switch head {
            case "halt": return result
            case "hash-threshold": hashThreshold = toks.count > 1 ? Int(toks[1]) ?? 0 : 0
            case "statement":
                let sql = body.joined(separator: "\n")
                let outcome = execute(session, sql)
                let expectOK = toks.count > 1 && toks[1] == "ok"
                switch outcome {
                case .success: if expectOK { result.passed += 1 } else { fail(&result, record.line, sql, "statement should have failed") }
                case .failure(let e): if !expectOK { result.passed += 1 } else { fail(&result, record.line, sql, "\(e)") }
                }
            case "query":
                let types = toks.count > 1 ? toks[1] : ""
                let sortMode = toks.count > 2 ? toks[2] : "nosort"
                var sqlLines = body
                var expected: [String] = []
                if let cut = body.firstIndex(of: "----") {
                    sqlLines = Array(body[..<cut])
                    expected = Array(body[(cut + 1)...])
                }
                let sql = sqlLines.joined(separator: "\n")
                switch execute(session, sql) {
                case .failure(let e):
                    fail(&result, record.line, sql, "error: \(e)")
                case .success(let r):
                    guard case .rows(let columns, let rows) = r else { fail(&result, record.line, sql, "no result set"); continue }
                    if columns.count != types.count {
                        fail(&result, record.line, sql, "expected \(types.count) columns, got \(columns.count)")
                        continue
                    }
                    let typeChars = Array(types)
                    var rendered = rows.map { row in row.enumerated().map { render($0.element, typeChars[$0.offset]) } }
                    if sortMode == "rowsort" { rendered.sort { $0.lexicographicallyPrecedes($1) { a, b in a.utf8.lexicographicallyPrecedes(b.utf8) } } }
                    var values = rendered.flatMap { $0 }
                    if sortMode == "valuesort" { values.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
                    let hashed = hashThreshold > 0 && values.count > hashThreshold
                    var ok: Bool
                    var got: String
                    if hashed {
                        got = "\(values.count) values hashing to \(md5(values))"
                        ok = expected == [got]
                    } else {
                        ok = expected == values
                        if !ok && columns.count > 1 && expected.count * columns.count == values.count {
                            let joined = stride(from: 0, to: values.count, by: columns.count).map { values[$0..<($0 + columns.count)].joined(separator: " ") }
                            ok = expected == joined
                        }
                        got = values.prefix(20).joined(separator: " | ")
                    }
                    if ok { result.passed += 1 } else {
                        fail(&result, record.line, sql, "expected: \(expected.prefix(20).joined(separator: " | "))\ngot:      \(got)")
                    }
                }
            default:
                fail(&result, record.line, command, "unknown record type")
                return result
            }
        }
        return result
    }

    static func fail(_ r: inout SLTResult, _ line: Int, _ sql: String, _ detail: String) {
        r.failed += 1
        r.failedLines.append(line)
        if r.failures.count < 200 { r.failures.append("line \(line): \(sql.prefix(300))\n  \(detail)") }
    }

    static func execute(_ s: Session, _ sql: String) -> Result<StatementResult, Error> {
        do {
            var last: StatementResult?
            try s.execute(Array(sql.utf8), multiStatements: false) { last = $0 }
            return .success(last!)
        } catch {
            return .failure(error)
        }
    }

    struct Record {
        var lines: [String] = []
        var line = 0
    }

    static func parseRecords(_ text: String) -> [Record] {
        var records: [Record] = []
        var current: Record?
        for (n, raw0) in Array(text.utf8).split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            var bytes = Array(raw0)
            if bytes.last == 13 { bytes.removeLast() }
            let raw = String(decoding: bytes, as: UTF8.self)
            if raw.trimmingCharacters(in: .whitespaces).isEmpty {
                if let c = current { records.append(c); current = nil }
                continue
            }
            if raw.hasPrefix("#") { continue }
            if current == nil { current = Record(lines: [], line: n + 1) }
            current!.lines.append(raw)
        }
        if let c = current { records.append(c) }
        return records
    }

    /// run.py's render_value on the text form and the value's type.
    static func render(_ v: SQLValue, _ kind: Character) -> String {
        guard let bytes = v.textBytes else { return "NULL" }
        let text = String(decoding: bytes, as: UTF8.self)
        switch kind {
        case "T":
            if bytes.isEmpty { return "(empty)" }
            return String(bytes.map { $0 >= 32 && $0 <= 126 ? Character(UnicodeScalar($0)) : "@" })
        case "I":
            switch v {
            case .int(let i): return String(i)
            case .uint(let u): return String(u)
            case .decimal, .double, .float:
                let latin = String(bytes.map { Character(UnicodeScalar($0)) })
                return fractionToInt(latin)
            default:
                let latin = String(bytes.map { Character(UnicodeScalar($0)) })
                let scanner = latin.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
                var digits = ""
                var rest = Substring(scanner)
                if let f = rest.first, f == "-" || f == "+" { digits.append(f); rest = rest.dropFirst() }
                let num = rest.prefix { $0.isASCII && $0.isNumber }
                if num.isEmpty { return "0" }
                return String(Int(digits + num) ?? 0)
            }
        default:
            let latin = String(bytes.map { Character(UnicodeScalar($0)) })
            let f = Double(latin.trimmingCharacters(in: .whitespaces)) ?? floatPrefix(latin)
            return String(format: "%.3f", f)
        }
        _ = text
    }

    static func floatPrefix(_ s: String) -> Double {
        var best = 0.0
        var cur = ""
        for ch in s.drop(while: { $0 == " " }) {
            cur.append(ch)
            if let d = Double(cur) { best = d } else if !(cur == "-" || cur == "+" || cur.hasSuffix("e") || cur.hasSuffix("E") || cur.hasSuffix(".")) { break }
        }
        return best
    }

    static func fractionToInt(_ s: String) -> String {
        guard let f = Double(s) else { return "0" }
        if f.isNaN || f.isInfinite { return "0" }
        if abs(f) < 4503599627370496 && !s.lowercased().contains("e") {
            var t = Substring(s.trimmingCharacters(in: .whitespaces))
            var neg = false
            if t.first == "-" { neg = true; t = t.dropFirst() } else if t.first == "+" { t = t.dropFirst() }
            let digits = t.prefix { $0.isNumber }
            let n = Int(digits) ?? 0
            return String(neg ? -n : n)
        }
        return String(Int(f))
    }

    static func md5(_ values: [String]) -> String {
        var bytes: [UInt8] = []
        for v in values {
            for ch in v.unicodeScalars { bytes.append(ch.value < 256 ? UInt8(ch.value) : 63) }
            bytes.append(10)
        }
        return MD5Hex.digest(bytes)
    }
}
