import Foundation

/// Dates as the pages print them (UTC: the database stores DATETIME without a zone).
///
/// A page prints two dates per post and per comment, so they are computed with
/// integer arithmetic (days since 1970 to a proleptic Gregorian date, as Howard
/// Hinnant's `civil_from_days`) rather than a Calendar or a format style per call.
/// Years outside 1600…9999 take Foundation's path (its Gregorian calendar is Julian
/// before 1582, and ISO 8601 has no four-digit form past 9999).
enum DateText {
    /// `2026-11-27T07:45:00Z`, as `Date.ISO8601FormatStyle()` prints it.
    static func iso(_ date: Date) -> String {
        guard let civil = Civil(date) else { return date.formatted(.iso8601) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(civil.year, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(civil.month, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(civil.day, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        append(civil.secondOfDay / 3600, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(civil.secondOfDay / 60 % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(civil.secondOfDay % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `27 November 2026`.
    static func human(_ date: Date) -> String {
        guard let civil = Civil(date) else {
            let c = utc.dateComponents([.year, .month, .day], from: date)
            return "\(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970)"
        }
        return "\(civil.day) \(months[civil.month - 1]) \(civil.year)"
    }

    private static func append(_ value: Int, digits: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// A UTC date and time of day, whole seconds (sub-second parts are dropped, as the
    /// ISO 8601 style without fractional seconds does).
    private struct Civil {
        var year: Int
        var month: Int
        var day: Int
        var secondOfDay: Int

        init?(_ date: Date) {
            let interval = date.timeIntervalSince1970
            guard interval.isFinite, abs(interval) < 1e12 else { return nil }
            let seconds = Int(interval.rounded(.down))
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            secondOfDay = seconds - days * 86_400
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let dayOfEra = z - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let shiftedMonth = (5 * dayOfYear + 2) / 153
            day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
            month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
            guard (1600...9999).contains(year) else { return nil }
        }
    }

    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
