/// The text forms MySQL prints for temporal values ('2024-05-06 07:08:09.123456',
/// '-838:59:59'); microseconds are printed only when non-zero (the binary protocol
/// carries no fsp).
public enum MySQLTemporalText {
    public static func date(year: Int, month: Int, day: Int) -> String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    public static func datetime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) -> String {
        var text = date(year: year, month: month, day: day) + " " + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if microsecond != 0 { text += "." + pad(microsecond, 6) }
        return text
    }

    public static func time(negative: Bool, hours: Int, minutes: Int, seconds: Int, microseconds: Int) -> String {
        var text = (negative ? "-" : "") + pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2)
        if microseconds != 0 { text += "." + pad(microseconds, 6) }
        return text
    }

    /// Parses 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]'.
    public static func parseDateTime(_ bytes: [UInt8]) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, us: Int)? {
        var numbers: [Int] = []
        var current = 0, digits = 0, fractionDigits = 0, inFraction = false
        for c in bytes {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                guard digits < 9 else { return nil }
                current = current * 10 + Int(c - UInt8(ascii: "0"))
                digits += 1
                if inFraction { fractionDigits += 1 }
            } else if [UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: "T"), UInt8(ascii: ".")].contains(c) {
                guard digits > 0 else { return nil }
                numbers.append(current)
                current = 0
                digits = 0
                inFraction = c == UInt8(ascii: ".")
            } else {
                return nil
            }
        }
        if digits > 0 { numbers.append(current) }
        guard numbers.count == 3 || numbers.count == 6 || numbers.count == 7 else { return nil }
        var micro = numbers.count == 7 ? numbers[6] : 0
        if numbers.count == 7 {
            guard fractionDigits <= 6 else { return nil }
            for _ in fractionDigits..<6 { micro *= 10 }
        }
        let time = numbers.count >= 6 ? (numbers[3], numbers[4], numbers[5]) : (0, 0, 0)
        return (numbers[0], numbers[1], numbers[2], time.0, time.1, time.2, micro)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
