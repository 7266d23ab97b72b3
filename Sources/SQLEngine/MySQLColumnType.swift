/// MySQL's MYSQL_TYPE_* codes, as sent in column definitions and binary rows.
public enum MySQLColumnType: UInt8, Sendable {
    case decimal = 0, tiny = 1, short = 2, long = 3, float = 4, double = 5, null = 6, timestamp = 7
    case longlong = 8, int24 = 9, date = 10, time = 11, datetime = 12, year = 13, varchar = 15, bit = 16
    case json = 245, newdecimal = 246, enumType = 247, set = 248, tinyBlob = 249, mediumBlob = 250
    case longBlob = 251, blob = 252, varString = 253, string = 254, geometry = 255
}
