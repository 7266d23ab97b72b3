import Foundation

/// Built-in scalar functions. Most propagate NULL (`nullIn`: any NULL argument gives NULL).
extension ExprCompiler {
    func compileFunction(_ name: String, _ args: [Expr], _ scope: Scope) throws -> Compiled {
        if name == "DATE_ADD" || name == "DATE_SUB", args.count == 2, case .interval(let amount, let unit) = args[1] {
            let d = try compile(args[0], scope), n = try compile(amount, scope)
            return try compileDateArithmetic(d, n, unit, subtract: name == "DATE_SUB")
        }
        if name == "VALUES", args.count == 1, case .column(_, _, let column) = args[0] {
            guard let (holder, table) = valuesRow, let ci = table.columnIndex(column) else {
                return .constant(.null, .null)
            }
            return Compiled(eval: { _ in holder.values[ci] }, type: ExprType.of(table.columns[ci]))
        }
        if name == "GROUPING" { return try compileGrouping(args, scope) }
        // a literal with a character set introducer (_latin1'a') reports that character set
        if name == "CHARSET" || name == "COLLATION", args.count == 1, case .literal(.string(_, let introducer?)) = args[0],
           let (charset, collation) = introducerCharset(introducer) {
            let text = name == "CHARSET" ? charset : collation
            return .constant(.text(Array(text.utf8)), ExprType(.text, length: text.count, nullable: false))
        }
        if name == "COERCIBILITY" {
            guard args.count == 1 else { throw SQLError.wrongParameterCount(name) }
            _ = try compile(args[0], scope)
            return .constant(.int(Int64(try coercibility(args[0], scope))), ExprType(.int, length: 1, nullable: false))
        }
        let compiled = try args.map { try compile($0, scope) }
        return try compileFunctionCompiled(name, compiled)
    }

    /// Evaluates every argument, then `body`; NULL when any argument is NULL (if `nullIn`).
    func fn(_ args: [Compiled], _ type: ExprType, nullIn: Bool = true, _ body: @escaping ([Value]) throws -> Value) -> Compiled {
        switch args.count {
        case 1:
            let a = args[0]
            return derive(args, type) { row in
                let v = try a.eval(row)
                if nullIn && v.isNull { return .null }
                return try body([v])
            }
        case 2:
            let a = args[0], b = args[1]
            return derive(args, type) { row in
                let v = try a.eval(row)
                if nullIn && v.isNull { return .null }
                let w = try b.eval(row)
                if nullIn && w.isNull { return .null }
                return try body([v, w])
            }
        default:
            return derive(args, type) { row in
                var values: [Value] = []
                values.reserveCapacity(args.count)
                for a in args {
                    let v = try a.eval(row)
                    if nullIn && v.isNull { return .null }
                    values.append(v)
                }
                return try body(values)
            }
        }
    }

    func argCount(_ name: String, _ args: [Compiled], _ range: ClosedRange<Int>) throws {
        guard range.contains(args.count) else { throw SQLError.wrongParameterCount(name) }
    }

    func textResult(_ args: [Compiled], length: Int = 255) -> ExprType {
        let binary = args.contains { $0.type.kind == .binary }
        var t = ExprType(binary ? .binary : .text, length: length)
        if !binary, let c = args.first(where: { $0.type.kind == .text })?.type.collation { t.collation = c }
        return t
    }

    func compileFunctionCompiled(_ name: String, _ args: [Compiled]) throws -> Compiled {
        let ctx = self.ctx
        let session = ctx.session
        // string functions see a DATETIME(n)/TIME(n) as its text with exactly n decimals
        let args = stringArgumentFunctions.contains(name) ? args.map(temporalAsText) : args
        switch name {
        // MARK: control flow
        case "IF":
            try argCount(name, args, 3...3)
            var t = ExprType.merge(args[1].type, args[2].type)
            t.column = nil
            let c = args[0], a = args[1], b = args[2]
            let rt = t
            return derive(args, t) { row in
                convertForType(try c.eval(row).truth == true ? try a.eval(row) : try b.eval(row), rt)
            }
        case "IFNULL", "COALESCE", "NVL":
            if name == "IFNULL" { try argCount(name, args, 2...2) } else { try argCount(name, args, 1...Int.max) }
            var t = args[0].type
            for a in args.dropFirst() { t = ExprType.merge(t, a.type) }
            t.column = nil
            t.nullable = args.allSatisfy { $0.type.nullable }
            let rt = t
            return derive(args, t) { row in
                for a in args {
                    let v = try a.eval(row)
                    if !v.isNull { return convertForType(v, rt) }
                }
                return .null
            }
        case "NULLIF":
            try argCount(name, args, 2...2)
            let a = args[0], b = args[1]
            let coll = try comparisonCollation(a.type, b.type, "nullif")
            var t = a.type
            t.column = nil
            t.nullable = true
            return derive(args, t) { row in
                let v = try a.eval(row)
                if compareValues(v, try b.eval(row), coll) == 0 { return .null }
                return v
            }
        case "ISNULL":
            try argCount(name, args, 1...1)
            let a = args[0]
            return derive(args, ExprType.bool.notNull) { row in .bool(try a.eval(row).isNull) }
        case "GREATEST", "LEAST":
            try argCount(name, args, 2...Int.max)
            var t = args[0].type
            for a in args.dropFirst() { t = ExprType.merge(t, a.type) }
            t.column = nil
            let coll = args.contains { $0.type.kind == .binary } ? Collation.binary : (args.first { $0.type.kind == .text }?.type.collation ?? .general)
            let greatest = name == "GREATEST"
            let rt = t
            // mixed strings and numbers compare as numbers
            let numeric = args.contains { $0.type.isNumeric }
            return fn(args, t) { vals in
                var best = vals[0]
                for v in vals.dropFirst() {
                    let c: Int
                    if numeric { let x = v.doubleValue, y = best.doubleValue; c = x < y ? -1 : (x > y ? 1 : 0) } else { c = compareValues(v, best, coll) ?? 0 }
                    if greatest ? c > 0 : c < 0 { best = v }
                }
                return convertForType(best, rt)
            }
        case "INTERVAL":
            let n = args[0]
            let rest = Array(args.dropFirst())
            return derive(args, .int) { row in
                let v = try n.eval(row)
                if v.isNull { return .int(-1) }
                var i = 0
                for r in rest {
                    let x = try r.eval(row)
                    if !x.isNull && (compareValues(v, x, .general) ?? -1) < 0 { break }
                    i += 1
                }
                return .int(Int64(i))
            }

        // MARK: strings
        case "CONCAT":
            try argCount(name, args, 1...Int.max)
            return fn(args, textResult(args, length: args.reduce(0) { $0 + $1.type.length })) { vals in
                var out: [UInt8] = []
                for v in vals { out += v.textBytes }
                return args.contains { $0.type.kind == .binary } ? .binary(out) : .text(out)
            }
        case "CONCAT_WS":
            try argCount(name, args, 2...Int.max)
            let sep = args[0]
            let rest = Array(args.dropFirst())
            let binary = args.contains { $0.type.kind == .binary }
            return derive(args, textResult(args)) { row in
                let s = try sep.eval(row)
                if s.isNull { return .null }
                var out: [UInt8] = []
                var first = true
                for a in rest {
                    let v = try a.eval(row)
                    if v.isNull { continue }
                    if !first { out += s.textBytes }
                    out += v.textBytes
                    first = false
                }
                return binary ? .binary(out) : .text(out)
            }
        case "LENGTH", "OCTET_LENGTH":
            try argCount(name, args, 1...1)
            if args[0].type.isSingleByteText { return fn(args, .int) { v in .int(Int64(characterCount(v[0].textBytes))) } }
            return fn(args, .int) { v in .int(Int64(v[0].textBytes.count)) }
        case "CHAR_LENGTH", "CHARACTER_LENGTH":
            try argCount(name, args, 1...1)
            let binary = args[0].type.kind == .binary
            return fn(args, .int) { v in .int(Int64(binary ? v[0].textBytes.count : characterCount(v[0].textBytes))) }
        case "BIT_LENGTH":
            if args.count == 1 && args[0].type.isSingleByteText { return fn(args, .int) { v in .int(Int64(characterCount(v[0].textBytes) * 8)) } }
            return fn(args, .int) { v in .int(Int64(v[0].textBytes.count * 8)) }
        case "LOWER", "LCASE", "UPPER", "UCASE":
            try argCount(name, args, 1...1)
            let upper = name == "UPPER" || name == "UCASE"
            let t = textResult(args, length: args[0].type.length)
            return fn(args, t) { v in
                if case .binary = v[0] { return v[0] }
                let s = v[0].textString
                return .text(Array((upper ? s.uppercased() : s.lowercased()).utf8))
            }
        case "SUBSTRING":
            try argCount(name, args, 2...3)
            let t = textResult([args[0]], length: args[0].type.length)
            return fn(args, t) { v in
                let bytes = v[0].textBytes
                let binary: Bool = { if case .binary = v[0] { return true }; return false }()
                // walks only to the characters it returns (SUBSTRING(body, 1, 400) runs
                // for every row of a front page)
                let range = UTF8Characters.substringBounds(bytes, position: Int(clamping: v[1].int64Value),
                                                           length: v.count > 2 ? Int(clamping: v[2].int64Value) : Int.max, binary: binary)
                let out = range.count == bytes.count ? bytes : Array(bytes[range])
                return binary ? .binary(out) : .text(out)
            }
        case "LEFT", "RIGHT":
            try argCount(name, args, 2...2)
            let left = name == "LEFT"
            return fn(args, textResult([args[0]], length: args[0].type.length)) { v in
                let bytes = v[0].textBytes
                let n = max(0, Int(clamping: v[1].int64Value))
                let range: Range<Int>
                if case .binary = v[0] {
                    range = left ? 0..<min(n, bytes.count) : max(0, bytes.count - n)..<bytes.count
                } else if left {
                    range = 0..<UTF8Characters.offset(in: bytes, advancing: n, from: 0)
                } else {
                    let skip = max(0, UTF8Characters.count(bytes) - n)
                    range = UTF8Characters.offset(in: bytes, advancing: skip, from: 0)..<bytes.count
                }
                let out = range.count == bytes.count ? bytes : Array(bytes[range])
                if case .binary = v[0] { return .binary(out) }
                return .text(out)
            }
        case "TRIM_BOTH", "TRIM_LEADING", "TRIM_TRAILING", "LTRIM", "RTRIM", "TRIM":
            let leading = name == "TRIM_BOTH" || name == "TRIM_LEADING" || name == "LTRIM" || name == "TRIM"
            let trailing = name == "TRIM_BOTH" || name == "TRIM_TRAILING" || name == "RTRIM" || name == "TRIM"
            return fn(args, textResult([args[0]], length: args[0].type.length)) { v in
                var b = v[0].textBytes
                let r: [UInt8] = v.count > 1 ? v[1].textBytes : [32]
                if !r.isEmpty {
                    if leading { while b.count >= r.count && Array(b.prefix(r.count)) == r { b.removeFirst(r.count) } }
                    if trailing { while b.count >= r.count && Array(b.suffix(r.count)) == r { b.removeLast(r.count) } }
                }
                if case .binary = v[0] { return .binary(b) }
                return .text(b)
            }
        case "REPLACE":
            try argCount(name, args, 3...3)
            return fn(args, textResult([args[0]])) { v in
                let out = replaceBytes(v[0].textBytes, v[1].textBytes, v[2].textBytes)
                if case .binary = v[0] { return .binary(out) }
                return .text(out)
            }
        case "REVERSE":
            return fn(args, textResult(args)) { v in
                let out = Array(splitCharacters(v[0].textBytes).reversed().joined())
                if case .binary = v[0] { return .binary(out) }
                return .text(out)
            }
        case "REPEAT":
            try argCount(name, args, 2...2)
            return fn(args, textResult([args[0]])) { v in
                let n = v[1].int64Value
                let b = v[0].textBytes
                if n <= 0 || b.isEmpty { return .text([]) }
                if Int64(b.count) * n > 16_777_216 { return .null }
                var out: [UInt8] = []
                for _ in 0..<n { out += b }
                return .text(out)
            }
        case "SPACE":
            return fn(args, .text) { v in
                let n = v[0].int64Value
                return .text([UInt8](repeating: 32, count: Int(max(0, min(n, 16_777_216)))))
            }
        case "LPAD", "RPAD":
            try argCount(name, args, 3...3)
            let left = name == "LPAD"
            return fn(args, textResult([args[0]])) { v in
                let chars = splitCharacters(v[0].textBytes)
                let n = Int(clamping: v[1].int64Value)
                if n < 0 { return .null }
                if chars.count >= n { return .text(Array(chars.prefix(n).joined())) }
                let pad = splitCharacters(v[2].textBytes)
                if pad.isEmpty { return .null }
                var fill: [[UInt8]] = []
                while fill.count < n - chars.count { fill.append(pad[fill.count % pad.count]) }
                return .text(Array((left ? fill + chars : chars + fill).joined()))
            }
        case "LOCATE", "INSTR", "POSITION":
            try argCount(name, args, 2...3)
            let coll = try comparisonCollation(args[0].type, args[1].type, name.lowercased())
            let swap = name == "INSTR"
            return fn(args, .int) { v in
                let needle = swap ? v[1].textBytes : v[0].textBytes
                let hay = swap ? v[0].textBytes : v[1].textBytes
                let start = v.count > 2 ? Int(clamping: v[2].int64Value) : 1
                return .int(Int64(locate(needle, in: hay, from: start, coll)))
            }
        case "ASCII":
            return fn(args, .int) { v in .int(Int64(v[0].textBytes.first ?? 0)) }
        case "ORD":
            return fn(args, .int) { v in
                let b = v[0].textBytes
                guard let f = b.first else { return .int(0) }
                if f < 0x80 { return .int(Int64(f)) }
                let c = splitCharacters(b)[0]
                return .int(c.reduce(0) { $0 << 8 | Int64($1) })
            }
        case "CHAR":
            return fn(args, ExprType(.binary, length: args.count * 4), nullIn: false) { v in
                var out: [UInt8] = []
                for x in v where !x.isNull {
                    var n = x.bitsValue & 0xFFFF_FFFF
                    var bytes: [UInt8] = []
                    repeat { bytes.insert(UInt8(n & 0xFF), at: 0); n >>= 8 } while n > 0
                    out += bytes
                }
                return .binary(out)
            }
        case "HEX":
            let singleByte = args.count == 1 && args[0].type.isSingleByteText
            return fn(args, .text) { v in
                switch v[0] {
                case .int, .uint, .decimal, .double:
                    return .text(Array(String(v[0].bitsValue, radix: 16, uppercase: true).utf8))
                case .text(let b) where singleByte:
                    return .text(hexEncode(singleByteCharsetBytes(b)))
                default:
                    return .text(hexEncode(v[0].textBytes))
                }
            }
        case "UNHEX":
            return fn(args, ExprType(.binary)) { v in
                guard let b = hexDecode(v[0].textBytes) else { return .null }
                return .binary(b)
            }
        case "STRCMP":
            let coll = try comparisonCollation(args[0].type, args[1].type, "strcmp")
            return fn(args, .int) { v in .int(Int64(coll.compare(v[0].textBytes, v[1].textBytes).signum())) }
        case "FIELD":
            let coll = args.contains { $0.type.isNumeric } ? Collation.general : try comparisonCollation(args[0].type, args.count > 1 ? args[1].type : args[0].type, "field")
            return fn(args, .int, nullIn: false) { v in
                if v[0].isNull { return .int(0) }
                for i in 1..<v.count where compareValues(v[0], v[i], coll) == 0 { return .int(Int64(i)) }
                return .int(0)
            }
        case "ELT":
            return fn(args, textResult(Array(args.dropFirst())), nullIn: false) { v in
                let n = v[0].int64Value
                guard n >= 1 && n < v.count else { return .null }
                return v[Int(n)].isNull ? .null : .text(v[Int(n)].textBytes)
            }
        case "FIND_IN_SET":
            let coll = try comparisonCollation(args[0].type, args[1].type, "find_in_set")
            return fn(args, .int) { v in
                let needle = v[0].textBytes
                for (i, part) in v[1].textBytes.split(separator: 44, omittingEmptySubsequences: false).enumerated()
                where coll.compare(Array(part), needle) == 0 {
                    return .int(Int64(i + 1))
                }
                return .int(0)
            }
        case "INSERT":
            try argCount(name, args, 4...4)
            return fn(args, textResult([args[0]])) { v in
                let chars = splitCharacters(v[0].textBytes)
                let pos = Int(clamping: v[1].int64Value), len = Int(clamping: v[2].int64Value)
                if pos < 1 || pos > chars.count { return .text(v[0].textBytes) }
                let end = len < 0 || pos - 1 + len > chars.count ? chars.count : pos - 1 + len
                return .text(Array(chars[..<(pos - 1)].joined()) + v[3].textBytes + Array(chars[end...].joined()))
            }
        case "SUBSTRING_INDEX":
            try argCount(name, args, 3...3)
            return fn(args, textResult([args[0]])) { v in
                let s = v[0].textBytes, d = v[1].textBytes
                let n = v[2].int64Value
                if d.isEmpty || n == 0 { return .text([]) }
                let parts = splitBytes(s, d)
                if n > 0 {
                    if Int(n) >= parts.count { return .text(s) }
                    return .text(Array(parts.prefix(Int(n)).joined(separator: d)))
                }
                if Int(-n) >= parts.count { return .text(s) }
                return .text(Array(parts.suffix(Int(-n)).joined(separator: d)))
            }
        case "QUOTE":
            return fn(args, .text, nullIn: false) { v in
                if v[0].isNull { return .text(Array("NULL".utf8)) }
                var out: [UInt8] = [39]
                for c in v[0].textBytes {
                    switch c {
                    case 39: out += [92, 39]
                    case 92: out += [92, 92]
                    case 0: out += [92, 48]
                    case 26: out += [92, 90]
                    default: out.append(c)
                    }
                }
                out.append(39)
                return .text(out)
            }
        case "MD5":
            return fn(args, ExprType(.text, length: 32)) { v in .text(hexEncode(Digest.md5(v[0].textBytes), lower: true)) }
        case "SHA1", "SHA":
            return fn(args, ExprType(.text, length: 40)) { v in .text(hexEncode(Digest.sha1(v[0].textBytes), lower: true)) }
        case "SHA2":
            return fn(args, ExprType(.text, length: 128)) { v in
                switch v[1].int64Value {
                case 0, 256: return .text(hexEncode(Digest.sha256(v[0].textBytes), lower: true))
                case 224: return .text(hexEncode(Digest.sha224(v[0].textBytes), lower: true))
                case 384: return .text(hexEncode(Digest.sha384(v[0].textBytes), lower: true))
                case 512: return .text(hexEncode(Digest.sha512(v[0].textBytes), lower: true))
                default: return .null
                }
            }
        case "CRC32":
            return fn(args, ExprType(.uint, length: 10)) { v in .uint(UInt64(Digest.crc32(v[0].textBytes))) }
        case "TO_BASE64":
            return fn(args, .text) { v in .text(Array(Data(v[0].textBytes).base64EncodedString().utf8)) }
        case "FROM_BASE64":
            return fn(args, ExprType(.binary)) { v in
                guard let d = Data(base64Encoded: String(decoding: v[0].textBytes, as: UTF8.self), options: .ignoreUnknownCharacters) else { return .null }
                return .binary(Array(d))
            }
        case "FORMAT":
            try argCount(name, args, 2...3)
            return fn(args, .text) { v in
                let places = max(0, min(30, Int(v[1].int64Value)))
                let d = v[0].decimalValue.rescaled(to: places)
                var text = d.text
                var neg = false
                if text.hasPrefix("-") { neg = true; text.removeFirst() }
                let parts = text.split(separator: ".", omittingEmptySubsequences: false)
                var intPart = String(parts[0])
                var grouped = ""
                while intPart.count > 3 { grouped = "," + String(intPart.suffix(3)) + grouped; intPart = String(intPart.dropLast(3)) }
                grouped = intPart + grouped
                let r = (neg ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
                return .text(Array(r.utf8))
            }
        case "BIN", "OCT":
            let radix = name == "BIN" ? 2 : 8
            return fn(args, .text) { v in .text(Array(String(v[0].bitsValue, radix: radix).utf8)) }
        case "CONV":
            try argCount(name, args, 3...3)
            return fn(args, .text) { v in
                let from = Int(v[1].int64Value), to = Int(v[2].int64Value)
                guard (2...36).contains(abs(from)), (2...36).contains(abs(to)) else { return .null }
                // a leading '-' negates (as unsigned 64-bit unless to_base is negative: then signed)
                var s = Substring(v[0].textString.uppercased().trimmingSpaces)
                var negative = false
                if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
                var n: UInt64 = 0
                for ch in s {
                    guard let d = ch.hexDigitValue ?? (ch.isLetter ? Int(ch.asciiValue ?? 0) - 55 : nil), d < abs(from) else { break }
                    n = n &* UInt64(abs(from)) &+ UInt64(d)
                }
                if negative { n = 0 &- n }
                if to < 0 && Int64(bitPattern: n) < 0 {
                    return .text(Array(("-" + String(UInt64(bitPattern: -Int64(bitPattern: n)), radix: -to, uppercase: true)).utf8))
                }
                return .text(Array(String(n, radix: abs(to), uppercase: true).utf8))
            }
        case "REGEXP_LIKE":
            try argCount(name, args, 2...3)
            let ci = try comparisonCollation(args[0].type, args[1].type, name.lowercased()).isCaseInsensitive
            return fn(args, .bool) { v in .bool(try RegexMatcher.cached(v[1].textBytes, caseInsensitive: ci).matches(v[0].textBytes)) }
        case "REGEXP_REPLACE":
            try argCount(name, args, 3...6)
            let ci = try comparisonCollation(args[0].type, args[1].type, name.lowercased()).isCaseInsensitive
            return fn(args, .text) { v in .text(try RegexMatcher.cached(v[1].textBytes, caseInsensitive: ci).replace(v[0].textBytes, with: v[2].textBytes)) }
        case "REGEXP_SUBSTR":
            try argCount(name, args, 2...5)
            let ci = try comparisonCollation(args[0].type, args[1].type, name.lowercased()).isCaseInsensitive
            return fn(args, .text) { v in
                guard let (m, _) = try RegexMatcher.cached(v[1].textBytes, caseInsensitive: ci).firstMatch(v[0].textBytes) else { return .null }
                return .text(Array(m.utf8))
            }
        case "REGEXP_INSTR":
            try argCount(name, args, 2...6)
            let ci = try comparisonCollation(args[0].type, args[1].type, name.lowercased()).isCaseInsensitive
            return fn(args, .int) { v in
                .int(Int64(try RegexMatcher.cached(v[1].textBytes, caseInsensitive: ci).firstMatch(v[0].textBytes)?.1 ?? 0))
            }
        case "CHARSET":
            let binary = args.first?.type.kind == .binary || (args.first.map { $0.type.isNumeric } ?? false)
            let charset = binary ? "binary" : (args.first.map { $0.type.kind == .text ? $0.type.collation.charset : "utf8mb4" } ?? "utf8mb4")
            return fn(args, .text, nullIn: false) { _ in .text(Array(charset.utf8)) }
        case "COLLATION":
            let c = args.first?.type
            let name = c?.kind == .text ? c!.collation.rawValue : "binary"
            return fn(args, .text, nullIn: false) { _ in .text(Array(name.utf8)) }

        // MARK: numbers
        case "ABS":
            try argCount(name, args, 1...1)
            var t = args[0].type
            t.column = nil
            if t.isString { t = .double }
            return fn(args, t) { v in
                switch v[0] {
                case .int(let i):
                    if i == Int64.min { throw Arithmetic.outOfRange("BIGINT", "abs") }
                    return .int(abs(i))
                case .uint: return v[0]
                case .decimal(let d): return .decimal(SQLDecimal(mantissa: d.mantissa.magnitude, scale: d.scale, displayScale: d.displayScale))
                default: return .double(abs(v[0].doubleValue))
                }
            }
        case "SIGN":
            return fn(args, .int) { v in
                switch v[0] {
                case .int(let i): return .int(Int64(i.signum()))
                case .uint(let u): return .int(u > 0 ? 1 : 0)
                case .decimal(let d): return .int(Int64(d.signum))
                default: let d = v[0].doubleValue; return .int(d > 0 ? 1 : (d < 0 ? -1 : 0))
                }
            }
        case "ROUND", "TRUNCATE":
            try argCount(name, args, name == "ROUND" ? 1...2 : 2...2)
            let truncate = name == "TRUNCATE"
            var places = 0
            var constPlaces = true
            if args.count > 1 {
                if args[1].isConstant, let p = try? args[1].eval(Row(width: 0)) { places = Int(p.int64Value) } else { constPlaces = false }
            }
            var t = args[0].type
            t.column = nil
            if t.isString { t = .double }
            if t.kind == .decimal { t.scale = max(0, min(places, 30)); if !constPlaces { t.scale = args[0].type.scale } }
            if t.kind == .int && places < 0 { t = .int }
            // a DOUBLE rounded to constant places shows that many decimals (ROUND(x, 2) → 1.50)
            if t.kind == .double && constPlaces { t.scale = places > 0 && places < 31 ? places : (places <= 0 ? 0 : 31) }
            let rt = t
            return fn(args, t) { v in
                let p = v.count > 1 ? Int(clamping: v[1].int64Value) : 0
                switch v[0] {
                case .int(let i):
                    if p >= 0 { return .int(i) }
                    if p < -18 { return .int(0) }
                    let f = Int64(pow(10.0, -p))
                    var r = i / f * f
                    if !truncate && abs(i % f) * 2 >= f { r += i < 0 ? -f : f }
                    return .int(r)
                case .uint(let u):
                    if p >= 0 { return .uint(u) }
                    if p < -19 { return .uint(0) }
                    let f = UInt64(pow(10.0, -p))
                    var r = u / f * f
                    if !truncate && (u % f) * 2 >= f { r += f }
                    return .uint(r)
                case .decimal(let d):
                    let target = max(min(p, 30), -38)
                    if target >= 0 {
                        let r = truncate ? d.truncated(to: target) : d.rescaled(to: target)
                        return .decimal(rt.kind == .decimal && constPlaces ? r.rescaled(to: rt.scale) : r)
                    }
                    let k = -target
                    guard d.scale + k <= 76 else { return .decimal(SQLDecimal(mantissa: 0, scale: 0)) }
                    let m = truncate ? d.mantissa / SQLDecimal.pow10[d.scale + k]
                        : SQLDecimal.roundedDividing(d.mantissa, byPow10: d.scale + k)
                    return .decimal(SQLDecimal(mantissa: m * SQLDecimal.pow10[k], scale: 0))
                default:
                    let x = v[0].doubleValue
                    let f = pow(10.0, p)
                    if truncate { return .double((x * f).rounded(.towardZero) / f) }
                    if p > 15 { return .double(x) }
                    let scaled = x * f
                    // MySQL rounds doubles with rint(): halves to even (ROUND(2.5e0) = 2)
                    let r = scaled.rounded(.toNearestOrEven)
                    return .double(r / f)
                }
            }
        case "FLOOR", "CEIL", "CEILING":
            try argCount(name, args, 1...1)
            let up = name != "FLOOR"
            var t = args[0].type
            t.column = nil
            if t.kind == .decimal { t = ExprType(.decimal, scale: 0, length: t.length) }
            if t.isString || t.kind == .double { t = .double }
            return fn(args, t) { v in
                switch v[0] {
                case .int, .uint: return v[0]
                case .decimal(let d):
                    let tr = d.truncated(to: 0)
                    if SQLDecimal.compare(tr, d) == 0 { return .decimal(tr) }
                    if up && !d.isNegative { return .decimal(SQLDecimal(mantissa: tr.mantissa + Int256(1), scale: 0)) }
                    if !up && d.isNegative { return .decimal(SQLDecimal(mantissa: tr.mantissa - Int256(1), scale: 0)) }
                    return .decimal(tr)
                default:
                    let x = v[0].doubleValue
                    return .double(up ? x.rounded(.up) : x.rounded(.down))
                }
            }
        case "MOD":
            try argCount(name, args, 2...2)
            return try compileArithmetic(.mod, args[0], args[1], text: "mod")
        case "SQRT", "EXP", "LN", "LOG2", "LOG10", "SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "COT", "RADIANS", "DEGREES":
            let f: (Double) -> Double?
            switch name {
            case "SQRT": f = { $0 < 0 ? nil : $0.squareRoot() }
            case "EXP": f = { Foundation.exp($0) }
            case "LN": f = { $0 <= 0 ? nil : Foundation.log($0) }
            case "LOG2": f = { $0 <= 0 ? nil : Foundation.log2($0) }
            case "LOG10": f = { $0 <= 0 ? nil : Foundation.log10($0) }
            case "SIN": f = { Foundation.sin($0) }
            case "COS": f = { Foundation.cos($0) }
            case "TAN": f = { Foundation.tan($0) }
            case "ASIN": f = { $0 < -1 || $0 > 1 ? nil : Foundation.asin($0) }
            case "ACOS": f = { $0 < -1 || $0 > 1 ? nil : Foundation.acos($0) }
            case "ATAN": f = { Foundation.atan($0) }
            case "COT": f = { 1 / Foundation.tan($0) }
            case "RADIANS": f = { $0 * Double.pi / 180 }
            default: f = { $0 * 180 / Double.pi }
            }
            if name == "ATAN" && args.count == 2 {
                return fn(args, .double) { v in .double(Foundation.atan2(v[0].doubleValue, v[1].doubleValue)) }
            }
            try argCount(name, args, 1...1)
            return fn(args, .double) { v in f(v[0].doubleValue).map(Value.double) ?? .null }
        case "ATAN2":
            return fn(args, .double) { v in .double(Foundation.atan2(v[0].doubleValue, v[1].doubleValue)) }
        case "LOG":
            try argCount(name, args, 1...2)
            return fn(args, .double) { v in
                if v.count == 1 { let x = v[0].doubleValue; return x <= 0 ? .null : .double(Foundation.log(x)) }
                let b = v[0].doubleValue, x = v[1].doubleValue
                if b <= 0 || b == 1 || x <= 0 { return .null }
                return .double(Foundation.log(x) / Foundation.log(b))
            }
        case "POW", "POWER":
            try argCount(name, args, 2...2)
            return fn(args, .double) { v in
                let r = Foundation.pow(v[0].doubleValue, v[1].doubleValue)
                if r.isNaN { return .null }
                if r.isInfinite { throw Arithmetic.outOfRange("DOUBLE", "pow") }
                return .double(r)
            }
        case "PI":
            try argCount(name, args, 0...0)
            return .constant(.double(Double.pi), ExprType(.double, scale: 6, length: 8, nullable: false))
        case "RAND":
            try argCount(name, args, 0...1)
            if args.count == 1 {
                // MySQL's my_rnd: a constant seed starts one sequence for the statement; a
                // per-row seed re-seeds on every row
                let state = MySQLRandom()
                if args[0].isConstant {
                    state.seed(try args[0].eval(Row(width: 0)).int64Value)
                    return derive(args, .double.notNull) { _ in .double(state.next()) }
                }
                return derive(args, .double.notNull) { row in
                    state.seed(try args[0].eval(row).int64Value)
                    return .double(state.next())
                }
            }
            var rng = SystemRandomNumberGenerator()
            return fn(args, .double, nullIn: false) { _ in .double(Double.random(in: 0..<1, using: &rng)) }

        // MARK: information
        case "DATABASE", "SCHEMA":
            return fn(args, ExprType(.text, length: 64), nullIn: false) { _ in
                session.currentDatabase.map { .text(Array($0.utf8)) } ?? .null
            }
        case "VERSION":
            let v = session.engine.options.serverVersion
            return .constant(.text(Array(v.utf8)), ExprType(.text, length: v.count))
        case "USER", "SESSION_USER", "SYSTEM_USER":
            let u = session.user + "@" + session.host
            return .constant(.text(Array(u.utf8)), ExprType(.text, length: 288))
        case "CURRENT_USER":
            let u = session.user + "@" + session.accountHost
            return .constant(.text(Array(u.utf8)), ExprType(.text, length: 288))
        case "CONNECTION_ID":
            return .constant(.uint(UInt64(session.connectionID)), ExprType(.uint, length: 10))
        case "LAST_INSERT_ID":
            if args.count == 1 {
                return fn(args, ExprType(.uint, length: 20)) { v in
                    session.lastInsertID = v[0].bitsValue
                    session.lastInsertIDSetByFunction = true
                    return .uint(v[0].bitsValue)
                }
            }
            return fn(args, ExprType(.uint, length: 20), nullIn: false) { _ in .uint(session.lastInsertID) }
        case "ROW_COUNT":
            return fn(args, .int, nullIn: false) { _ in .int(session.rowCount) }
        case "FOUND_ROWS":
            return fn(args, .int, nullIn: false) { _ in .int(Int64(session.foundRows)) }
        case "SLEEP":
            return fn(args, .int) { v in
                let seconds = v[0].doubleValue
                var left = seconds
                while left > 0 {
                    if session.control.isKilled { return .int(1) }
                    let step = min(left, 0.05)
                    usleep(UInt32(step * 1_000_000))
                    left -= step
                }
                return .int(0)
            }
        case "UUID":
            return fn(args, ExprType(.text, length: 36), nullIn: false) { _ in .text(Array(UUID().uuidString.lowercased().utf8)) }
        case "BENCHMARK":
            // MySQL's Item_func_benchmark: evaluate the expression `count` times, return 0;
            // NULL (with warning 1411 for a negative count) when the count is unusable.
            guard args.count == 2 else { throw SQLError.wrongParameterCount(name) }
            let count = args[0], expression = args[1]
            return derive(args, .int) { row in
                let n = try count.eval(row)
                if n.isNull { return .null }
                let times = n.int64Value
                if times < 0 {
                    if session.warnings.count < 65535 {
                        session.warnings.append(SQLWarning(level: "Warning", code: 1411,
                                                           message: "Incorrect count value: '\(times)' for function benchmark"))
                    }
                    return .null
                }
                var done: Int64 = 0
                while done < times {
                    _ = try expression.eval(row)
                    done += 1
                    if done & 1023 == 0 && session.control.isKilled { throw SQLError.queryInterrupted }
                }
                return .int(0)
            }
        case "GET_LOCK", "RELEASE_LOCK", "IS_FREE_LOCK", "IS_USED_LOCK", "RELEASE_ALL_LOCKS":
            return try compileUserLockFunction(name, args)!
        case _ where name.hasPrefix("JSON_"):
            return try compileJSONFunction(name, args)
        default:
            if let c = try compileDateFunction(name, args) { return c }
            if let c = try compileMoreFunction(name, args) { return c }
            throw SQLError.functionDoesNotExist(ctx.session.currentDatabase ?? "", name.lowercased())
        }
    }
}

/// The character set and default collation an introducer (_latin1, _utf8mb4, _binary) names.
func introducerCharset(_ introducer: String) -> (String, String)? {
    switch introducer.lowercased().trimmingCharacters(in: ["_"]) {
    case "latin1": return ("latin1", "latin1_swedish_ci")
    case "utf8mb4": return ("utf8mb4", "utf8mb4_0900_ai_ci")
    case "utf8", "utf8mb3": return ("utf8mb3", "utf8mb3_general_ci")
    case "ascii": return ("ascii", "ascii_general_ci")
    case "binary": return ("binary", "binary")
    default: return nil
    }
}

/// Functions whose arguments are strings: temporal arguments become their text first.
let stringArgumentFunctions: Set<String> = [
    "LENGTH", "OCTET_LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "BIT_LENGTH", "CONCAT", "CONCAT_WS", "LEFT", "RIGHT",
    "SUBSTRING", "LPAD", "RPAD", "REPLACE", "REVERSE", "UPPER", "LOWER", "UCASE", "LCASE", "INSTR", "LOCATE", "MD5", "SHA1",
    "SHA", "SHA2", "TO_BASE64", "QUOTE", "TRIM", "LTRIM", "RTRIM", "TRIM_BOTH", "TRIM_LEADING", "TRIM_TRAILING", "INSERT",
    "SUBSTRING_INDEX", "REPEAT", "CRC32", "SOUNDEX",
]

extension ExprCompiler {
    /// A DATETIME/TIME operand as the text MySQL gives it: exactly its type's fractional digits.
    func temporalAsText(_ c: Compiled) -> Compiled {
        guard c.type.kind == .datetime || c.type.kind == .time, (0...6).contains(c.type.scale) else { return c }
        let fsp = c.type.scale
        return derive([c], ExprType(.text, length: c.type.length)) { row in
            let v = try c.eval(row)
            switch v {
            case .datetime(let p): return .text(Array(DateTimeValue(packed: p).text(fsp: fsp).utf8))
            case .time(let us): return .text(Array(timeText(us, fsp: fsp).utf8))
            default: return v
            }
        }
    }
}

/// UTF-8 text split into characters (byte sequences).
func splitCharacters(_ b: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    out.reserveCapacity(b.count)
    var i = 0
    while i < b.count {
        let c = b[i]
        var len = c < 0x80 ? 1 : (c >= 0xF0 ? 4 : (c >= 0xE0 ? 3 : (c >= 0xC0 ? 2 : 1)))
        if i + len > b.count { len = 1 }
        out.append(Array(b[i..<(i + len)]))
        i += len
    }
    return out
}

func splitBytes(_ s: [UInt8], _ d: [UInt8]) -> [[UInt8]] {
    var parts: [[UInt8]] = []
    var cur: [UInt8] = []
    var i = 0
    while i < s.count {
        if i + d.count <= s.count && Array(s[i..<(i + d.count)]) == d {
            parts.append(cur)
            cur = []
            i += d.count
        } else {
            cur.append(s[i])
            i += 1
        }
    }
    parts.append(cur)
    return parts
}

func replaceBytes(_ s: [UInt8], _ from: [UInt8], _ to: [UInt8]) -> [UInt8] {
    if from.isEmpty { return s }
    return Array(splitBytes(s, from).joined(separator: to))
}

/// 1-based character position of `needle` in `hay` at or after `from`, 0 when absent.
func locate(_ needle: [UInt8], in hay: [UInt8], from: Int, _ coll: Collation) -> Int {
    let h = splitCharacters(hay), n = splitCharacters(needle)
    if from < 1 { return 0 }
    if n.isEmpty { return from <= h.count + 1 ? from : 0 }
    if n.count > h.count { return 0 }
    let hw = h.map { coll.sortKey($0) }, nw = n.map { coll.sortKey($0) }
    var i = from - 1
    while i + n.count <= h.count {
        var ok = true
        for j in 0..<n.count where hw[i + j] != nw[j] { ok = false; break }
        if ok { return i + 1 }
        i += 1
    }
    return 0
}

func hexEncode(_ b: [UInt8], lower: Bool = false) -> [UInt8] {
    let digits: [UInt8] = Array((lower ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
    var out: [UInt8] = []
    out.reserveCapacity(b.count * 2)
    for c in b { out.append(digits[Int(c >> 4)]); out.append(digits[Int(c & 15)]) }
    return out
}

func hexDecode(_ b: [UInt8]) -> [UInt8]? {
    var digits = b
    if digits.count % 2 == 1 { digits.insert(48, at: 0) }
    var out: [UInt8] = []
    var i = 0
    while i < digits.count {
        guard isHexDigit(digits[i]), isHexDigit(digits[i + 1]) else { return nil }
        out.append(hexValue(digits[i]) << 4 | hexValue(digits[i + 1]))
        i += 2
    }
    return out
}
