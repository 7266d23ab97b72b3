/// JSON text straight from the binary form, in MySQL's layout (`{"a": 1, "b": [1, 2]}`):
/// what clients, string contexts and dumps see. The same text `JSONDocument.text` makes.
extension JSONNode {
    func appendText(to out: inout [UInt8], depth: Int = 1) throws {
        guard depth <= JSONDocument.maxDepth + 1 else { throw JSONBinary.corrupt() }
        switch try kind() {
        case .null: out += "null".utf8
        case .bool: out += (bool ? "true" : "false").utf8
        case .int: out += String(try int()).utf8
        case .uint: out += String(try uint()).utf8
        case .double: out += JSONDocument.doubleText(try double()).utf8
        case .decimal: out += try stringBytes()
        case .string, .opaque: JSONNode.appendQuoted(try stringBytes(), to: &out)
        case .array:
            let n = try count()
            out.append(UInt8(ascii: "["))
            for i in 0..<n {
                if i > 0 { out += ", ".utf8 }
                try element(i).appendText(to: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "]"))
        case .object:
            let n = try count()
            out.append(UInt8(ascii: "{"))
            for i in 0..<n {
                if i > 0 { out += ", ".utf8 }
                JSONNode.appendQuoted(try key(i), to: &out)
                out += ": ".utf8
                try memberValue(i, count: n).appendText(to: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped as MySQL does.
    static func appendQuoted(_ s: ArraySlice<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in s {
            switch c {
            case UInt8(ascii: "\""): out += "\\\"".utf8
            case UInt8(ascii: "\\"): out += "\\\\".utf8
            case 0x0A: out += "\\n".utf8
            case 0x0D: out += "\\r".utf8
            case 0x09: out += "\\t".utf8
            case 0x08: out += "\\b".utf8
            case 0x0C: out += "\\f".utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += "\\u00".utf8
                out.append(hex[Int(c >> 4)])
                out.append(hex[Int(c & 0xF)])
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The text of this value; a scalar string without its quotes when `unquoted` (`->>`).
    func text(unquoted: Bool = false) throws -> [UInt8] {
        if unquoted, type == JSONBinary.TypeCode.string { return Array(try stringBytes()) }
        var out: [UInt8] = []
        try appendText(to: &out)
        return out
    }
}

extension JSONBinary {
    /// The document's JSON text, for the contexts that cannot fail (a JSON value in a string
    /// context, sent to a client). Every `JSONBinary` is valid — built by the encoder or checked
    /// when read from storage — so the fallback is not reached; callers that can throw use
    /// `root.text()`.
    var text: [UInt8] { (try? root.text()) ?? Array("null".utf8) }
}

extension JSONDocument {
    /// A JSON double's text: integral values keep a `.0`, others MySQL's shortest form.
    static func doubleText(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return formatDouble(d)
    }
}
