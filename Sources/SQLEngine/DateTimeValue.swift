/// Calendar values packed order-preservingly into an Int64, the way MySQL packs them:
///
/// ```
/// ymd  = ((year * 13 + month) << 5) | day           (22 bits)
/// hms  = (hour << 12) | (minute << 6) | second       (17 bits)
/// packed = ((ymd << 17) | hms) << 24 | microsecond   (63 bits)
/// ```
struct DateTimeValue: Equatable {
    var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, microsecond = 0

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second; self.microsecond = microsecond
    }

    init(packed p: Int64) {
        microsecond = Int(p & 0xFFFFFF)
        let rest = p >> 24
        let hms = rest & 0x1FFFF
        let ymd = rest >> 17
        second = Int(hms & 63)
        minute = Int((hms >> 6) & 63)
        hour = Int(hms >> 12)
        day = Int(ymd & 31)
        let ym = Int(ymd >> 5)
        year = ym / 13
        month = ym % 13
    }

    var packed: Int64 {
        let ymd = Int64((year * 13 + month) << 5 | day)
        let hms = Int64(hour << 12 | minute << 6 | second)
        return ((ymd << 17) | hms) << 24 | Int64(microsecond)
    }

    var dateOnly: DateTimeValue { DateTimeValue(year: year, month: month, day: day) }

    var dateText: String { formatDate(year, month, day) }

    /// fsp -1: microseconds only when non-zero.
    func text(fsp: Int) -> String {
        var s = dateText + " " + pad2(hour) + ":" + pad2(minute) + ":" + pad2(second)
        if fsp > 0 {
            s += "." + String(padded(microsecond, 6).prefix(fsp))
        } else if fsp < 0 && microsecond != 0 {
            s += "." + padded(microsecond, 6)
        }
        return s
    }

    var dateNumber: Int64 { Int64(year * 10000 + month * 100 + day) }
    var numberValue: Double {
        Double(dateNumber) * 1_000_000 + Double(hour * 10000 + minute * 100 + second) + Double(microsecond) / 1e6
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    var isValidDate: Bool {
        if year == 0 && month == 0 && day == 0 { return true }
        return year >= 0 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= DateTimeValue.daysInMonth(year, month)
    }

    /// Days since 0000-01-01 (proleptic Gregorian), as MySQL's TO_DAYS minus... (TO_DAYS = this + 1).
    var dayNumber: Int {
        var y = year, m = month
        if m <= 2 { y -= 1; m += 12 }
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m - 3) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe + 60 - 1   // shift so 0000-03-01 = 59+... consistent for differences
    }

    static func fromDayNumber(_ n: Int) -> DateTimeValue {
        let z = n - 60 + 1
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        var m = mp + 3
        var y = yoe + era * 400
        if m > 12 { m -= 12; y += 1 }
        return DateTimeValue(year: y, month: m, day: d)
    }

    /// 0 = Monday ... 6 = Sunday.
    var weekday: Int { ((dayNumber % 7) + 7 + 6) % 7 }

    var secondsOfDay: Int64 { Int64(hour * 3600 + minute * 60 + second) }

    /// Parses 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' and the relaxed forms MySQL takes (any punctuation
    /// as a separator, 'T' between date and time, YYYYMMDD[HHMMSS]). nil when not a date.
    static func parse(_ b: [UInt8]) -> DateTimeValue? {
        var i = 0
        let n = b.count
        while i < n && isSpace(b[i]) { i += 1 }
        var end = n
        while end > i && isSpace(b[end - 1]) { end -= 1 }
        if i == end { return nil }
        // Pure digits: YYYYMMDD or YYMMDD or YYYYMMDDHHMMSS
        var allDigits = true
        for k in i..<end where !isDigit(b[k]) { allDigits = false; break }
        if allDigits {
            let digits = b[i..<end].map { Int($0 - 48) }
            func num(_ s: Int, _ l: Int) -> Int { digits[s..<(s + l)].reduce(0) { $0 * 10 + $1 } }
            switch digits.count {
            case 8: return DateTimeValue(year: num(0, 4), month: num(4, 2), day: num(6, 2)).validated
            case 6:
                let y = num(0, 2)
                return DateTimeValue(year: y < 70 ? 2000 + y : 1900 + y, month: num(2, 2), day: num(4, 2)).validated
            case 14: return DateTimeValue(year: num(0, 4), month: num(4, 2), day: num(6, 2), hour: num(8, 2), minute: num(10, 2), second: num(12, 2)).validated
            case 12:
                let y = num(0, 2)
                return DateTimeValue(year: y < 70 ? 2000 + y : 1900 + y, month: num(2, 2), day: num(4, 2), hour: num(6, 2), minute: num(8, 2), second: num(10, 2)).validated
            default: return nil
            }
        }
        var parts: [Int] = []
        var fraction = 0
        var fractionDigits = 0
        var k = i
        var yearDigits = 0
        while k < end && parts.count < 6 {
            var v = 0
            var d = 0
            while k < end && isDigit(b[k]) { v = v * 10 + Int(b[k] - 48); k += 1; d += 1; if d > 9 { return nil } }
            if d == 0 { return nil }
            if parts.isEmpty { yearDigits = d }
            parts.append(v)
            if k >= end { break }
            if parts.count == 6 { break }
            if parts.count == 3 {
                if b[k] == UInt8(ascii: "T") || isSpace(b[k]) {
                    k += 1
                    while k < end && isSpace(b[k]) { k += 1 }
                    continue
                }
            }
            let c = b[k]
            if isDigit(c) { return nil }
            if c == UInt8(ascii: ".") && parts.count == 6 { break }
            k += 1
        }
        if parts.count == 6 && k < end && b[k] == UInt8(ascii: ".") {
            k += 1
            while k < end && isDigit(b[k]) {
                if fractionDigits < 6 { fraction = fraction * 10 + Int(b[k] - 48); fractionDigits += 1 }
                k += 1
            }
            while fractionDigits < 6 { fraction *= 10; fractionDigits += 1 }
        }
        if k < end { return nil }
        guard parts.count == 3 || parts.count >= 5 else { return nil }
        var year = parts[0]
        if yearDigits <= 2 { year += year < 70 ? 2000 : 1900 }
        let v = DateTimeValue(year: year, month: parts[1], day: parts[2],
                              hour: parts.count > 3 ? parts[3] : 0, minute: parts.count > 4 ? parts[4] : 0,
                              second: parts.count > 5 ? parts[5] : 0, microsecond: fraction)
        return v.validated
    }

    var validated: DateTimeValue? {
        guard isValidDate, hour < 24, minute < 60, second < 60 else { return nil }
        return self
    }
}

let microsPerSecond: Int64 = 1_000_000

func timeText(_ us: Int64, fsp: Int) -> String {
    let neg = us < 0
    let a = us.magnitude
    let totalSeconds = a / 1_000_000
    let micro = Int(a % 1_000_000)
    var s = (neg ? "-" : "") + pad2(Int(totalSeconds / 3600)) + ":" + pad2(Int(totalSeconds / 60 % 60)) + ":" + pad2(Int(totalSeconds % 60))
    if fsp > 0 { s += "." + String(padded(micro, 6).prefix(fsp)) } else if fsp < 0 && micro != 0 { s += "." + padded(micro, 6) }
    return s
}

func timeNumber(_ us: Int64) -> Double {
    let neg = us < 0
    let a = us.magnitude
    let t = a / 1_000_000
    let v = Double((t / 3600) * 10000 + (t / 60 % 60) * 100 + t % 60) + Double(a % 1_000_000) / 1e6
    return neg ? -v : v
}

/// Parses '[-][D ]HH:MM:SS[.ffffff]', 'HH:MM', 'HHMMSS', 'SS' into signed microseconds.
func parseTime(_ b: [UInt8]) -> Int64? {
    var s = String(decoding: b, as: UTF8.self).trimmingSpaces
    var neg = false
    if s.hasPrefix("-") { neg = true; s.removeFirst() }
    var days = 0
    if let sp = s.firstIndex(of: " ") {
        guard let d = Int(s[..<sp]) else { return nil }
        days = d
        s = String(s[s.index(after: sp)...])
    }
    var frac: Int64 = 0
    if let dot = s.firstIndex(of: ".") {
        var f = String(s[s.index(after: dot)...].prefix(6))
        guard f.allSatisfy(\.isNumber) else { return nil }
        while f.count < 6 { f += "0" }
        frac = Int64(f) ?? 0
        s = String(s[..<dot])
    }
    var h = 0, m = 0, sec = 0
    let comps = s.split(separator: ":", omittingEmptySubsequences: false)
    if comps.count == 1 {
        guard let v = Int(comps[0]) else { return nil }
        h = v / 10000; m = v / 100 % 100; sec = v % 100
    } else if comps.count == 2 {
        guard let a = Int(comps[0]), let bb = Int(comps[1]) else { return nil }
        h = a; m = bb
    } else if comps.count == 3 {
        guard let a = Int(comps[0]), let bb = Int(comps[1]), let c = Int(comps[2]) else { return nil }
        h = a; m = bb; sec = c
    } else { return nil }
    guard m < 60, sec < 60 else { return nil }
    let total = (Int64(days * 24 + h) * 3600 + Int64(m * 60 + sec)) * microsPerSecond + frac
    return neg ? -total : total
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
