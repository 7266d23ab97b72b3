/// Date and time functions.
extension ExprCompiler {
    func compileDateArithmetic(_ d: Compiled, _ n: Compiled, _ unit: IntervalUnit, subtract: Bool) throws -> Compiled {
        let ctx = self.ctx
        let dateUnit = ![.hour, .minute, .second, .microsecond, .secondMicrosecond, .minuteMicrosecond,
                                                    .minuteSecond, .hourMicrosecond, .hourSecond, .hourMinute, .dayMicrosecond,
                                                    .daySecond, .dayMinute, .dayHour].contains(unit)
        let isDateOnly = d.type.kind == .date && dateUnit
        // a string (or number) argument gives a string: a date when it had no time part and the
        // unit is whole days or longer, else a datetime
        let stringResult = !d.type.isTemporal && d.type.kind != .null
        let fracScale = unit == .microsecond || unit == .secondMicrosecond || unit == .minuteMicrosecond || unit == .hourMicrosecond || unit == .dayMicrosecond ? 6 : 0
        let t = stringResult ? ExprType(.text, length: 29)
            : (isDateOnly ? ExprType(.date, length: 10)
               : (d.type.kind == .time ? ExprType(.time, scale: max(d.type.scale, fracScale), length: 10) : ExprType(.datetime, scale: max(d.type.scale, fracScale), length: 19)))
        return fn([d, n], t) { v in
            guard let (months, micros) = intervalAmount(v[1], unit) else { return .null }
            let sign: Int64 = subtract ? -1 : 1
            if case .time(let tm) = v[0] { return .time(tm + sign * micros) }
            guard let p = temporalValue(v[0], ctx: ctx) else { return .null }
            var dt = DateTimeValue(packed: p)
            if months != 0 {
                let total = dt.year * 12 + (dt.month - 1) + Int(sign) * months
                guard total >= 0 else { return .null }
                dt.year = total / 12
                dt.month = total % 12 + 1
                dt.day = min(dt.day, DateTimeValue.daysInMonth(dt.year, dt.month))
            }
            if micros != 0 { dt = addMicroseconds(dt, sign * micros) }
            guard dt.year >= 0 && dt.year <= 9999 else { return .null }
            if stringResult {
                let dateOnlyText: Bool
                switch v[0] {
                case .text(let b), .binary(let b): dateOnlyText = textIsDateOnly(b)
                case .int, .uint: dateOnlyText = String(v[0].int64Value).count <= 8
                default: dateOnlyText = false
                }
                return dateUnit && dateOnlyText && dt.hour == 0 && dt.minute == 0 && dt.second == 0 && dt.microsecond == 0 ? .date(dt.dateOnly.packed) : .datetime(dt.packed)
            }
            return isDateOnly ? .date(dt.dateOnly.packed) : .datetime(dt.packed)
        }
    }

    func compileDateFunction(_ name: String, _ args: [Compiled]) throws -> Compiled? {
        let ctx = self.ctx
        let session = ctx.session
        func dt(_ v: Value) -> DateTimeValue? { temporalValue(v, ctx: ctx).map(DateTimeValue.init(packed:)) }
        func part(_ f: @escaping (DateTimeValue) -> Int64) -> Compiled {
            fn(args, .int) { v in dt(v[0]).map { .int(f($0)) } ?? .null }
        }
        switch name {
        case "NOW", "SYSDATE", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_TIMESTAMP":
            let fsp = args.isEmpty ? 0 : Int((try? args[0].eval(Row(width: 0)).int64Value) ?? 0)
            let value = localDateTime(ctx.now, session)
            return .constant(.datetime(roundFraction(value.packed, min(max(fsp, 0), 6)) & (fsp == 0 ? ~0xFFFFFF : ~0)), ExprType(.datetime, scale: fsp, length: 19))
        case "UTC_TIMESTAMP":
            var d = localDateTime(ctx.now, session)
            d = addMicroseconds(d, -Int64(session.timeZoneOffsetSeconds) * microsPerSecond)
            d.microsecond = 0
            return .constant(.datetime(d.packed), ExprType(.datetime, length: 19))
        case "CURDATE", "UTC_DATE":
            return .constant(.date(localDateTime(ctx.now, session).dateOnly.packed), ExprType(.date, length: 10))
        case "CURTIME", "UTC_TIME":
            let d = localDateTime(ctx.now, session)
            return .constant(.time(d.secondsOfDay * microsPerSecond), ExprType(.time, length: 8))
        case "UNIX_TIMESTAMP":
            if args.isEmpty { return .constant(.int(ctx.now / microsPerSecond), .int) }
            return fn(args, .int) { v in
                guard let d = dt(v[0]) else { return .null }
                let days = d.dayNumber - DateTimeValue(year: 1970, month: 1, day: 1).dayNumber
                return .int(Int64(days) * 86400 + d.secondsOfDay - Int64(session.timeZoneOffsetSeconds))
            }
        case "FROM_UNIXTIME":
            try argCount(name, args, 1...2)
            let scale = min(max(args[0].type.kind == .double ? 6 : args[0].type.scale, 0), 6)
            let t = args.count == 2 ? ExprType(.text, length: 64) : ExprType(.datetime, scale: scale, length: 19)
            return fn(args, t) { v in
                let s = v[0].decimalValue
                guard !s.isNegative, s.doubleValue <= 32_536_771_199.999999 else { return .null }
                let d = localDateTime(Int64((s.doubleValue * 1e6).rounded()), session)
                if v.count == 2 { return .text(Array(formatDateTime(d, v[1].textString).utf8)) }
                return .datetime(d.packed)
            }
        case "DATE":
            return fn(args, ExprType(.date, length: 10)) { v in dt(v[0]).map { .date($0.dateOnly.packed) } ?? .null }
        case "TIME":
            return fn(args, ExprType(.time, length: 10)) { v in
                if case .time = v[0] { return v[0] }
                if case .text(let b) = v[0], DateTimeValue.parse(b) == nil { return parseTime(b).map(Value.time) ?? .null }
                return dt(v[0]).map { .time($0.secondsOfDay * microsPerSecond + Int64($0.microsecond)) } ?? .null
            }
        case "YEAR": return part { Int64($0.year) }
        case "MONTH": return part { Int64($0.month) }
        case "DAY", "DAYOFMONTH": return part { Int64($0.day) }
        case "HOUR":
            return fn(args, .int) { v in
                if let t = timeArgument(v[0]) { return .int(abs(t) / microsPerSecond / 3600) }
                return dt(v[0]).map { .int(Int64($0.hour)) } ?? .null
            }
        case "MINUTE":
            return fn(args, .int) { v in
                if let t = timeArgument(v[0]) { return .int(abs(t) / microsPerSecond / 60 % 60) }
                return dt(v[0]).map { .int(Int64($0.minute)) } ?? .null
            }
        case "SECOND":
            return fn(args, .int) { v in
                if let t = timeArgument(v[0]) { return .int(abs(t) / microsPerSecond % 60) }
                return dt(v[0]).map { .int(Int64($0.second)) } ?? .null
            }
        case "MICROSECOND":
            return fn(args, .int) { v in
                if let t = timeArgument(v[0]) { return .int(abs(t) % microsPerSecond) }
                return dt(v[0]).map { .int(Int64($0.microsecond)) } ?? .null
            }
        case "DAYOFWEEK": return part { Int64(($0.weekday + 1) % 7 + 1) }
        case "WEEKDAY": return part { Int64($0.weekday) }
        case "DAYOFYEAR": return part { Int64($0.dayNumber - DateTimeValue(year: $0.year, month: 1, day: 1).dayNumber + 1) }
        case "QUARTER": return part { Int64(($0.month + 2) / 3) }
        case "WEEK", "WEEKOFYEAR":
            return fn(args, .int) { v in
                guard let d = dt(v[0]) else { return .null }
                let mode = name == "WEEKOFYEAR" ? 3 : (v.count > 1 ? Int(v[1].int64Value) : 0)
                return .int(Int64(weekNumber(d, mode: mode)))
            }
        case "DAYNAME":
            return fn(args, .text) { v in dt(v[0]).map { .text(Array(dayNames[$0.weekday].utf8)) } ?? .null }
        case "MONTHNAME":
            return fn(args, .text) { v in
                guard let d = dt(v[0]), d.month >= 1 else { return .null }
                return .text(Array(monthNames[d.month - 1].utf8))
            }
        case "TO_DAYS":
            return part { mysqlDayNumber($0) }
        case "FROM_DAYS":
            // MySQL: day numbers before 0001-01-01 (and past 9999) give the zero date
            return fn(args, ExprType(.date, length: 10)) { v in
                let n = v[0].int64Value
                if n <= 365 || n >= 3_652_500 { return .date(DateTimeValue(year: 0, month: 0, day: 0).packed) }
                return .date(DateTimeValue.fromDayNumber(Int(n) - 1).packed)
            }
        case "LAST_DAY":
            return fn(args, ExprType(.date, length: 10)) { v in
                guard var d = dt(v[0]), d.month >= 1 else { return .null }
                d.day = DateTimeValue.daysInMonth(d.year, d.month)
                return .date(d.dateOnly.packed)
            }
        case "MAKEDATE":
            return fn(args, ExprType(.date, length: 10)) { v in
                let y = Int(v[0].int64Value), n = Int(v[1].int64Value)
                if n <= 0 { return .null }
                return .date(DateTimeValue.fromDayNumber(DateTimeValue(year: y, month: 1, day: 1).dayNumber + n - 1).packed)
            }
        case "DATEDIFF":
            return fn(args, .int) { v in
                guard let a = dt(v[0]), let b = dt(v[1]) else { return .null }
                return .int(Int64(a.dayNumber - b.dayNumber))
            }
        case "TIMEDIFF":
            try argCount(name, args, 2...2)
            let scale = max(temporalPrecision(args[0]), temporalPrecision(args[1]))
            return fn(args, ExprType(.time, scale: scale, length: 10)) { v in
                let ta = timeArgument(v[0]), tb = timeArgument(v[1])
                if let a = ta, let b = tb { return clampTime(a - b) }
                if (ta == nil) != (tb == nil) { return .null }
                guard let a = dt(v[0]), let b = dt(v[1]) else { return .null }
                let ma = Int64(a.dayNumber) * 86_400_000_000 + a.secondsOfDay * microsPerSecond + Int64(a.microsecond)
                let mb = Int64(b.dayNumber) * 86_400_000_000 + b.secondsOfDay * microsPerSecond + Int64(b.microsecond)
                return clampTime(ma - mb)
            }
        case "TIMESTAMPDIFF":
            return fn(args, .int) { v in
                guard let unit = IntervalUnit(rawValue: v[0].textString), let a = dt(v[1]), let b = dt(v[2]) else { return .null }
                let ma = Int64(a.dayNumber) * 86_400_000_000 + a.secondsOfDay * microsPerSecond + Int64(a.microsecond)
                let mb = Int64(b.dayNumber) * 86_400_000_000 + b.secondsOfDay * microsPerSecond + Int64(b.microsecond)
                let diff = mb - ma
                switch unit {
                case .microsecond: return .int(diff)
                case .second: return .int(diff / microsPerSecond)
                case .minute: return .int(diff / (60 * microsPerSecond))
                case .hour: return .int(diff / (3600 * microsPerSecond))
                case .day: return .int(diff / 86_400_000_000)
                case .week: return .int(diff / (7 * 86_400_000_000))
                case .month, .quarter, .year:
                    var months = (b.year - a.year) * 12 + (b.month - a.month)
                    let restA = Int64(a.day) * 86_400_000_000 + a.secondsOfDay * microsPerSecond + Int64(a.microsecond)
                    let restB = Int64(b.day) * 86_400_000_000 + b.secondsOfDay * microsPerSecond + Int64(b.microsecond)
                    if months > 0 && restB < restA { months -= 1 }
                    if months < 0 && restB > restA { months += 1 }
                    return .int(Int64(unit == .month ? months : (unit == .quarter ? months / 3 : months / 12)))
                default: return .null
                }
            }
        case "TIMESTAMPADD":
            guard args.count == 3 else { throw SQLError.wrongParameterCount(name) }
            let unitText = (try? args[0].eval(Row(width: 0)).textString) ?? "DAY"
            guard let unit = IntervalUnit(rawValue: unitText) else { return nil }
            return try compileDateArithmetic(args[2], args[1], unit, subtract: false)
        case "EXTRACT":
            return fn(args, .int) { v in
                guard let unit = IntervalUnit(rawValue: v[0].textString) else { return .null }
                if let t = timeArgument(v[1]) {
                    let a = abs(t)
                    switch unit {
                    case .hour: return .int(a / 3_600_000_000)
                    case .minute: return .int(a / 60_000_000 % 60)
                    case .second: return .int(a / 1_000_000 % 60)
                    default: break
                    }
                }
                guard let d = dt(v[1]) else { return .null }
                switch unit {
                case .year: return .int(Int64(d.year))
                case .quarter: return .int(Int64((d.month + 2) / 3))
                case .month: return .int(Int64(d.month))
                case .week: return .int(Int64(weekNumber(d, mode: 0)))
                case .day: return .int(Int64(d.day))
                case .hour: return .int(Int64(d.hour))
                case .minute: return .int(Int64(d.minute))
                case .second: return .int(Int64(d.second))
                case .microsecond: return .int(Int64(d.microsecond))
                case .yearMonth: return .int(Int64(d.year * 100 + d.month))
                case .dayHour: return .int(Int64(d.day * 100 + d.hour))
                case .dayMinute: return .int(Int64(d.day * 10000 + d.hour * 100 + d.minute))
                case .daySecond: return .int(Int64(d.day * 1_000_000 + d.hour * 10000 + d.minute * 100 + d.second))
                case .hourMinute: return .int(Int64(d.hour * 100 + d.minute))
                case .hourSecond: return .int(Int64(d.hour * 10000 + d.minute * 100 + d.second))
                case .minuteSecond: return .int(Int64(d.minute * 100 + d.second))
                default: return .int(0)
                }
            }
        case "TIME_TO_SEC":
            return fn(args, .int) { v in
                if case .time(let t) = v[0] { return .int(t / microsPerSecond) }
                if case .text(let b) = v[0], let t = parseTime(b) { return .int(t / microsPerSecond) }
                return dt(v[0]).map { .int($0.secondsOfDay) } ?? .null
            }
        case "SEC_TO_TIME":
            try argCount(name, args, 1...1)
            let scale = args[0].type.kind == .int || args[0].type.kind == .uint ? 0 : min(max(args[0].type.kind == .double ? 6 : args[0].type.scale, 0), 6)
            return fn(args, ExprType(.time, scale: scale, length: 10)) { v in
                if scale == 0 { return clampTime(v[0].int64Value.multipliedReportingOverflow(by: microsPerSecond).overflow ? (v[0].int64Value < 0 ? Int64.min / 2 : Int64.max / 2) : v[0].int64Value * microsPerSecond) }
                let d = v[0].doubleValue
                guard abs(d) < 1e12 else { return clampTime(d < 0 ? Int64.min / 2 : Int64.max / 2) }
                return clampTime(Int64((d * 1e6).rounded()))
            }
        case "DATE_FORMAT", "TIME_FORMAT":
            let timeFormat = name == "TIME_FORMAT"
            return fn(args, ExprType(.text, length: 64)) { v in
                if timeFormat, let t = timeArgument(v[0]) ?? dt(v[0]).map({ $0.secondsOfDay * microsPerSecond + Int64($0.microsecond) }) {
                    return formatTimeValue(t, v[1].textString).map { .text(Array($0.utf8)) } ?? .null
                }
                if case .time(let t) = v[0] {
                    let a = abs(t)
                    var d = DateTimeValue(year: 0, month: 0, day: 0)
                    d.hour = Int(a / 3_600_000_000); d.minute = Int(a / 60_000_000 % 60); d.second = Int(a / 1_000_000 % 60)
                    return .text(Array(formatDateTime(d, v[1].textString).utf8))
                }
                guard let d = dt(v[0]) else { return .null }
                return .text(Array(formatDateTime(d, v[1].textString).utf8))
            }
        case "STR_TO_DATE":
            try argCount(name, args, 2...2)
            // the result type follows a constant format: date parts only DATE, time parts only TIME
            var kind = ExprType.Kind.datetime
            var fsp = 6
            if args[1].isConstant, let f = try? args[1].eval(Row(width: 0)), !f.isNull {
                let (date, time, frac) = formatParts(f.textString)
                kind = date && !time ? .date : (time && !date ? .time : .datetime)
                fsp = frac ? 6 : 0
            }
            let rk = kind
            let t = kind == .date ? ExprType(.date, length: 10) : ExprType(kind, scale: fsp, length: kind == .time ? 10 : 19)
            return fn(args, t) { v in
                guard let d = parseWithFormat(v[0].textString, v[1].textString) else { return .null }
                switch rk {
                case .date: return .date(d.dateOnly.packed)
                case .time: return .time(d.secondsOfDay * microsPerSecond + Int64(d.microsecond))
                default: return .datetime(d.packed)
                }
            }
        default:
            return nil
        }
    }
}

let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

/// (months, microseconds) of an INTERVAL value in a unit; nil when malformed.
/// The fractional-second digits an argument brings to a temporal result (MySQL's
/// `Item::time_precision`): a temporal's own, a constant string's as written ('01:02:03.5'
/// has 1), 6 for anything else that may hold a fraction.
func temporalPrecision(_ argument: Compiled) -> Int {
    if argument.type.isTemporal { return argument.type.scale }
    if argument.type.kind == .int || argument.type.kind == .uint || argument.type.kind == .null { return 0 }
    if argument.isConstant, let value = try? argument.eval(Row(width: 0)), case .text(let bytes) = value {
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return 0 }
        return min(bytes[(dot + 1)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count, 6)
    }
    return 6
}

func intervalAmount(_ v: Value, _ unit: IntervalUnit) -> (Int, Int64)? {
    let us = microsPerSecond
    switch unit {
    case .microsecond: return (0, v.int64Value)
    case .second:
        if case .decimal(let d) = v { return (0, Int64(d.doubleValue * 1e6)) }
        if case .double(let d) = v { return (0, Int64(d * 1e6)) }
        return (0, v.int64Value * us)
    case .minute: return (0, v.int64Value * 60 * us)
    case .hour: return (0, v.int64Value * 3600 * us)
    case .day: return (0, v.int64Value * 86400 * us)
    case .week: return (0, v.int64Value * 7 * 86400 * us)
    case .month: return (Int(v.int64Value), 0)
    case .quarter: return (Int(v.int64Value) * 3, 0)
    case .year: return (Int(v.int64Value) * 12, 0)
    default:
        // compound units: 'a:b' / 'a b:c' text
        let s = v.textString
        let neg = s.trimmingSpaces.hasPrefix("-")
        let nums = s.split { !$0.isNumber }.compactMap { Int64($0) }
        func pick(_ n: Int) -> [Int64] { nums.count >= n ? Array(nums.suffix(n)) : [Int64](repeating: 0, count: n - nums.count) + nums }
        var months = 0
        var micros: Int64 = 0
        switch unit {
        case .yearMonth: let p = pick(2); months = Int(p[0] * 12 + p[1])
        case .dayHour: let p = pick(2); micros = (p[0] * 24 + p[1]) * 3600 * us
        case .dayMinute: let p = pick(3); micros = ((p[0] * 24 + p[1]) * 60 + p[2]) * 60 * us
        case .daySecond: let p = pick(4); micros = (((p[0] * 24 + p[1]) * 60 + p[2]) * 60 + p[3]) * us
        case .hourMinute: let p = pick(2); micros = (p[0] * 60 + p[1]) * 60 * us
        case .hourSecond: let p = pick(3); micros = ((p[0] * 60 + p[1]) * 60 + p[2]) * us
        case .minuteSecond: let p = pick(2); micros = (p[0] * 60 + p[1]) * us
        case .secondMicrosecond: let p = pick(2); micros = p[0] * us + p[1]
        case .minuteMicrosecond: let p = pick(3); micros = (p[0] * 60 + p[1]) * us + p[2]
        case .hourMicrosecond: let p = pick(4); micros = ((p[0] * 60 + p[1]) * 60 + p[2]) * us + p[3]
        case .dayMicrosecond: let p = pick(5); micros = (((p[0] * 24 + p[1]) * 60 + p[2]) * 60 + p[3]) * us + p[4]
        default: return nil
        }
        return neg ? (-months, -micros) : (months, micros)
    }
}

/// MySQL's calc_week: the week number of `d` for a WEEK() mode (0-7) and the year it belongs to.
func weekNumber(_ d: DateTimeValue, mode: Int) -> Int { calcWeek(d, weekMode(mode)).week }

/// WEEK()'s mode turned into calc_week's behaviour bits (1 Monday first, 2 week year, 4 first weekday).
func weekMode(_ mode: Int) -> Int {
    var f = mode & 7
    if f & 1 == 0 { f ^= 4 }
    return f
}

func calcWeek(_ d: DateTimeValue, _ behaviour: Int) -> (week: Int, year: Int) {
    let daynr = d.dayNumber + 1
    var firstDaynr = DateTimeValue(year: d.year, month: 1, day: 1).dayNumber + 1
    let mondayFirst = behaviour & 1 != 0
    var weekYear = behaviour & 2 != 0
    let firstWeekday = behaviour & 4 != 0
    var weekday = (firstDaynr + 5 + (mondayFirst ? 0 : 1)) % 7
    var year = d.year
    func daysInYear(_ y: Int) -> Int { DateTimeValue.isLeap(y) ? 366 : 365 }
    if d.month == 1 && d.day <= 7 - weekday {
        if !weekYear && ((firstWeekday && weekday != 0) || (!firstWeekday && weekday >= 4)) { return (0, year) }
        weekYear = true
        year -= 1
        let days = daysInYear(year)
        firstDaynr -= days
        weekday = (weekday + 53 * 7 - days) % 7
    }
    let days: Int
    if (firstWeekday && weekday != 0) || (!firstWeekday && weekday >= 4) {
        days = daynr - (firstDaynr + (7 - weekday))
    } else {
        days = daynr - (firstDaynr - weekday)
    }
    if weekYear && days >= 52 * 7 {
        weekday = (weekday + daysInYear(year)) % 7
        if (!firstWeekday && weekday < 4) || (firstWeekday && weekday == 0) { return (1, year + 1) }
    }
    return (days / 7 + 1, year)
}

func formatDateTime(_ d: DateTimeValue, _ format: String) -> String {
    var out = ""
    var it = format.makeIterator()
    while let c = it.next() {
        guard c == "%" else { out.append(c); continue }
        guard let f = it.next() else { break }
        switch f {
        case "Y": out += padded(d.year, 4)
        case "y": out += pad2(d.year % 100)
        case "m": out += pad2(d.month)
        case "c": out += String(d.month)
        case "d": out += pad2(d.day)
        case "e": out += String(d.day)
        case "H": out += pad2(d.hour)
        case "k": out += String(d.hour)
        case "h", "I": out += pad2(d.hour % 12 == 0 ? 12 : d.hour % 12)
        case "l": out += String(d.hour % 12 == 0 ? 12 : d.hour % 12)
        case "i": out += pad2(d.minute)
        case "s", "S": out += pad2(d.second)
        case "f": out += padded(d.microsecond, 6)
        case "p": out += d.hour < 12 ? "AM" : "PM"
        case "T": out += pad2(d.hour) + ":" + pad2(d.minute) + ":" + pad2(d.second)
        case "r": out += pad2(d.hour % 12 == 0 ? 12 : d.hour % 12) + ":" + pad2(d.minute) + ":" + pad2(d.second) + (d.hour < 12 ? " AM" : " PM")
        case "M": out += d.month >= 1 ? monthNames[d.month - 1] : ""
        case "b": out += d.month >= 1 ? String(monthNames[d.month - 1].prefix(3)) : ""
        case "W": out += dayNames[d.weekday]
        case "a": out += String(dayNames[d.weekday].prefix(3))
        case "w": out += String((d.weekday + 1) % 7)
        case "j": out += padded(d.dayNumber - DateTimeValue(year: d.year, month: 1, day: 1).dayNumber + 1, 3)
        case "D":
            let suffix = (d.day % 100 >= 11 && d.day % 100 <= 13) ? "th" : (["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][d.day % 10])
            out += String(d.day) + suffix
        case "U": out += pad2(calcWeek(d, 4).week)
        case "u": out += pad2(calcWeek(d, 1).week)
        case "V": out += pad2(calcWeek(d, 6).week)
        case "v": out += pad2(calcWeek(d, 3).week)
        case "X": out += padded(calcWeek(d, 6).year, 4)
        case "x": out += padded(calcWeek(d, 3).year, 4)
        case "%": out += "%"
        default: out.append(f)
        }
    }
    return out
}

func parseWithFormat(_ s: String, _ format: String) -> DateTimeValue? {
    var d = DateTimeValue(year: 0, month: 0, day: 0)
    let chars = Array(s)
    var i = 0
    func number(_ maxDigits: Int) -> Int? {
        var v = 0, n = 0
        while i < chars.count, n < maxDigits, let dv = chars[i].wholeNumberValue { v = v * 10 + dv; i += 1; n += 1 }
        return n == 0 ? nil : v
    }
    var pm = false
    var it = format.makeIterator()
    while let c = it.next() {
        if c == "%" {
            guard let f = it.next() else { break }
            switch f {
            case "Y": guard let v = number(4) else { return nil }; d.year = v
            case "y": guard let v = number(2) else { return nil }; d.year = v < 70 ? 2000 + v : 1900 + v
            case "m", "c": guard let v = number(2) else { return nil }; d.month = v
            case "d", "e": guard let v = number(2) else { return nil }; d.day = v
            case "H", "k", "h", "I", "l": guard let v = number(2) else { return nil }; d.hour = v
            case "i": guard let v = number(2) else { return nil }; d.minute = v
            case "s", "S": guard let v = number(2) else { return nil }; d.second = v
            case "f": guard let v = number(6) else { return nil }; d.microsecond = v
            case "p":
                if i + 1 < chars.count { pm = chars[i] == "P" || chars[i] == "p"; i += 2 }
            case "T":
                guard let h = number(2) else { return nil }; d.hour = h; i += 1
                guard let m = number(2) else { return nil }; d.minute = m; i += 1
                guard let sec = number(2) else { return nil }; d.second = sec
            case "M", "b":
                let rest = String(chars[i...]).lowercased()
                guard let idx = monthNames.firstIndex(where: { rest.hasPrefix(f == "M" ? $0.lowercased() : String($0.prefix(3)).lowercased()) }) else { return nil }
                d.month = idx + 1
                i += f == "M" ? monthNames[idx].count : 3
            default: i += 1
            }
        } else {
            if i < chars.count && chars[i] == c { i += 1 } else if c == " " { continue } else { return nil }
        }
    }
    if pm && d.hour < 12 { d.hour += 12 }
    return d.validated
}

/// A TIME argument as microseconds: TIME values, and strings that read as a time but not as a
/// date ('10:20:30', '-01:00', '1 10:00:00'); nil for anything else.
func timeArgument(_ v: Value) -> Int64? {
    switch v {
    case .time(let t): return t
    case .text(let b), .binary(let b):
        if DateTimeValue.parse(b) != nil && !b.contains(58) { return nil }
        if let d = DateTimeValue.parse(b), !textIsDateOnly(b) { _ = d; return nil }
        return parseTime(b)
    default: return nil
    }
}

/// TIME_FORMAT: hours may exceed 23 and be negative; date specifiers give NULL as in MySQL.
func formatTimeValue(_ us: Int64, _ format: String) -> String? {
    let a = us.magnitude
    let hours = Int(a / 3_600_000_000), minute = Int(a / 60_000_000 % 60), second = Int(a / 1_000_000 % 60), micro = Int(a % 1_000_000)
    var out = us < 0 ? "-" : ""
    var it = format.makeIterator()
    while let c = it.next() {
        guard c == "%" else { out.append(c); continue }
        guard let f = it.next() else { break }
        let h12 = hours % 12 == 0 ? 12 : hours % 12
        switch f {
        case "H": out += pad2(hours)
        case "k": out += String(hours)
        case "h", "I": out += pad2(h12)
        case "l": out += String(h12)
        case "i": out += pad2(minute)
        case "s", "S": out += pad2(second)
        case "f": out += padded(micro, 6)
        case "p": out += hours % 24 < 12 ? "AM" : "PM"
        case "T": out += pad2(hours) + ":" + pad2(minute) + ":" + pad2(second)
        case "r": out += pad2(h12) + ":" + pad2(minute) + ":" + pad2(second) + (hours % 24 < 12 ? " AM" : " PM")
        case "%": out += "%"
        case "Y", "y", "m", "c", "d", "e", "M", "b", "W", "a", "w", "j", "D", "U", "u", "V", "v", "X", "x": return nil
        default: out.append(f)
        }
    }
    return out
}

/// Which kinds of parts a STR_TO_DATE format has: (date, time, fraction).
func formatParts(_ format: String) -> (Bool, Bool, Bool) {
    var date = false, time = false, frac = false
    var it = format.makeIterator()
    while let c = it.next() {
        guard c == "%", let f = it.next() else { continue }
        switch f {
        case "Y", "y", "m", "c", "d", "e", "M", "b", "W", "a", "w", "j", "D", "U", "u", "V", "v", "X", "x": date = true
        case "H", "k", "h", "I", "l", "i", "s", "S", "p", "T", "r": time = true
        case "f": time = true; frac = true
        default: break
        }
    }
    return (date, time, frac)
}

/// MySQL's calc_daynr (TO_DAYS): days since year 0, with MySQL's treatment of year 0.
func mysqlDayNumber(_ d: DateTimeValue) -> Int64 {
    if d.year == 0 && d.month == 0 { return 0 }
    var year = Int64(d.year)
    let month = Int64(d.month)
    var delsum = 365 * year + 31 * (month - 1) + Int64(d.day)
    if month <= 2 { year -= 1 } else { delsum -= (month * 4 + 23) / 10 }
    let temp = ((year / 100 + 1) * 3) / 4
    return delsum + year / 4 - temp
}
