import Foundation
import MySQLWire

/// A Swift type that travels as a MySQL value: a prepared-statement parameter
/// (`mysqlValue`) and a column read back (`init?(mysqlValue:)`, nil when the value
/// cannot be represented — the row's `decode` turns that into `typeMismatch`).
///
/// Temporal values without a time zone (DATE, DATETIME) map to `Date` in UTC.
public protocol MySQLValueConvertible: Sendable {
    init?(mysqlValue: MySQLValue)
    var mysqlValue: MySQLValue { get }
}

extension MySQLValue: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) { self = mysqlValue }
    public var mysqlValue: MySQLValue { self }
}

extension Optional: MySQLValueConvertible where Wrapped: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) {
        if mysqlValue == .null {
            self = .none
        } else if let value = Wrapped(mysqlValue: mysqlValue) {
            self = .some(value)
        } else {
            return nil
        }
    }

    public var mysqlValue: MySQLValue { self?.mysqlValue ?? .null }
}

extension MySQLValue {
    /// The value as text when it has a natural text form (numbers, strings, temporals).
    var text: String? {
        switch self {
        case .null: nil
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .float(let v): String(v)
        case .double(let v): String(v)
        case .decimal(let v): v
        case .string(let b): String(decoding: b, as: UTF8.self)
        case .bytes(let b): String(validating: b, as: UTF8.self)
        case .date(let y, let m, let d): MySQLTemporalText.date(year: y, month: m, day: d)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            MySQLTemporalText.datetime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us)
        case .time(let n, let h, let m, let s, let us):
            MySQLTemporalText.time(negative: n, hours: h, minutes: m, seconds: s, microseconds: us)
        }
    }

    /// An exact integer value, from integer cases or integral text.
    fileprivate var exactInteger: (negative: Bool, magnitude: UInt64)? {
        switch self {
        case .int(let v): return (v < 0, v.magnitude)
        case .uint(let v): return (false, v)
        case .decimal, .string:
            guard let text else { return nil }
            if let v = Int64(text) { return (v < 0, v.magnitude) }
            if let v = UInt64(text) { return (false, v) }
            return nil
        case .double, .float:
            // An integral floating value (`SELECT ? + 1` may be typed DOUBLE) reads as an integer.
            let v: Double = if case .float(let f) = self { Double(f) } else if case .double(let d) = self { d } else { .nan }
            guard v.isFinite, v == v.rounded(), abs(v) < 1.8e19 else { return nil }
            return (v < 0, UInt64(abs(v)))
        default: return nil
        }
    }
}

extension FixedWidthInteger where Self: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) {
        guard let (negative, magnitude) = mysqlValue.exactInteger else { return nil }
        if negative {
            guard Self.isSigned, let value = Self(exactly: -Int128(magnitude)) else { return nil }
            self = value
        } else {
            guard let value = Self(exactly: magnitude) else { return nil }
            self = value
        }
    }

    public var mysqlValue: MySQLValue {
        Self.isSigned ? .int(Int64(self)) : .uint(UInt64(self))
    }
}

extension Int: MySQLValueConvertible {}
extension Int8: MySQLValueConvertible {}
extension Int16: MySQLValueConvertible {}
extension Int32: MySQLValueConvertible {}
extension Int64: MySQLValueConvertible {}
extension UInt: MySQLValueConvertible {}
extension UInt8: MySQLValueConvertible {}
extension UInt16: MySQLValueConvertible {}
extension UInt32: MySQLValueConvertible {}
extension UInt64: MySQLValueConvertible {}

extension Bool: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) {
        guard let (_, magnitude) = mysqlValue.exactInteger else { return nil }
        self = magnitude != 0
    }

    public var mysqlValue: MySQLValue { .int(self ? 1 : 0) }
}

extension Double: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) {
        switch mysqlValue {
        case .double(let v): self = v
        case .float(let v): self = Double(v)
        case .int(let v): self = Double(v)
        case .uint(let v): self = Double(v)
        case .decimal(let text):
            guard let v = Double(text) else { return nil }
            self = v
        case .string:
            guard let text = mysqlValue.text, let v = Double(text) else { return nil }
            self = v
        default: return nil
        }
    }

    public var mysqlValue: MySQLValue { .double(self) }
}

extension Float: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) {
        if case .float(let v) = mysqlValue {
            self = v
        } else if let v = Double(mysqlValue: mysqlValue) {
            self = Float(v)
        } else {
            return nil
        }
    }

    public var mysqlValue: MySQLValue { .float(self) }
}

extension String: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) {
        guard let text = mysqlValue.text else { return nil }
        self = text
    }

    public var mysqlValue: MySQLValue { .string(Array(utf8)) }
}

extension Array: MySQLValueConvertible where Element == UInt8 {
    public init?(mysqlValue: MySQLValue) {
        switch mysqlValue {
        case .bytes(let b), .string(let b): self = b
        default: return nil
        }
    }

    public var mysqlValue: MySQLValue { .bytes(self) }
}

extension Data: MySQLValueConvertible {
    public init?(mysqlValue: MySQLValue) {
        guard let bytes = [UInt8](mysqlValue: mysqlValue) else { return nil }
        self = Data(bytes)
    }

    public var mysqlValue: MySQLValue { .bytes(Array(self)) }
}

extension Decimal: MySQLValueConvertible {
    /// DECIMAL text converts exactly (Foundation's Decimal holds 38 digits).
    public init?(mysqlValue: MySQLValue) {
        switch mysqlValue {
        case .decimal(let text):
            guard let v = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            self = v
        case .int(let v): self = Decimal(v)
        case .uint(let v): self = Decimal(v)
        case .string:
            guard let text = mysqlValue.text, let v = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            self = v
        case .double(let v): self = Decimal(v)
        case .float(let v): self = Decimal(Double(v))
        default: return nil
        }
    }

    public var mysqlValue: MySQLValue {
        var value = self
        return .decimal(NSDecimalString(&value, Locale(identifier: "en_US_POSIX")))
    }
}

extension Date: MySQLValueConvertible {
    /// DATE and DATETIME/TIMESTAMP values, read as UTC.
    public init?(mysqlValue: MySQLValue) {
        let parts: DateComponents
        switch mysqlValue {
        case .date(let y, let m, let d):
            parts = DateComponents(year: y, month: m, day: d)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            parts = DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s, nanosecond: us * 1000)
        case .string:
            guard let text = mysqlValue.text, let p = MySQLTemporalText.parseDateTime(Array(text.utf8)) else { return nil }
            parts = DateComponents(year: p.y, month: p.mo, day: p.d, hour: p.h, minute: p.mi, second: p.s, nanosecond: p.us * 1000)
        default:
            return nil
        }
        // MySQL's zero date has no instant.
        guard (parts.year ?? 0) > 0, (parts.month ?? 0) > 0, (parts.day ?? 0) > 0,
              let date = MySQLCalendar.utc.date(from: parts) else { return nil }
        self = date
    }

    /// A DATETIME in UTC with microseconds.
    public var mysqlValue: MySQLValue {
        let c = MySQLCalendar.utc.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: self)
        let micro = Int((Double(c.nanosecond ?? 0) / 1000).rounded())
        return .datetime(year: c.year ?? 0, month: c.month ?? 0, day: c.day ?? 0, hour: c.hour ?? 0,
                         minute: c.minute ?? 0, second: c.second ?? 0, microsecond: min(micro, 999_999))
    }
}

extension DateComponents: MySQLValueConvertible {
    /// DATE, DATETIME (zero dates included) and TIME (as hour/minute/second/nanosecond,
    /// hours negative for a negative TIME).
    public init?(mysqlValue: MySQLValue) {
        switch mysqlValue {
        case .date(let y, let m, let d):
            self = DateComponents(year: y, month: m, day: d)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            self = DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s, nanosecond: us * 1000)
        case .time(let negative, let h, let m, let s, let us):
            let sign = negative ? -1 : 1
            self = DateComponents(hour: sign * h, minute: sign * m, second: sign * s, nanosecond: sign * us * 1000)
        default:
            return nil
        }
    }

    /// A DATE when only year/month/day are set, a TIME when no date is set, else a DATETIME.
    public var mysqlValue: MySQLValue {
        let micro = (nanosecond ?? 0) / 1000
        if year == nil, month == nil, day == nil {
            let total = ((hour ?? 0) * 3600 + (minute ?? 0) * 60 + (second ?? 0)) * 1_000_000 + micro
            let magnitude = abs(total)
            return .time(negative: total < 0, hours: magnitude / 3_600_000_000, minutes: magnitude / 60_000_000 % 60,
                         seconds: magnitude / 1_000_000 % 60, microseconds: magnitude % 1_000_000)
        }
        if hour == nil, minute == nil, second == nil, nanosecond == nil {
            return .date(year: year ?? 0, month: month ?? 0, day: day ?? 0)
        }
        return .datetime(year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: hour ?? 0, minute: minute ?? 0,
                         second: second ?? 0, microsecond: micro)
    }
}

enum MySQLCalendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
