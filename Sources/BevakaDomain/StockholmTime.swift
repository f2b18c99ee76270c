import Foundation

/// Local time in Europe/Stockholm, where a booked visit happens: on the day summer time begins
/// 02:00–02:59 does not exist, and on the day it ends 02:00–02:59 happens twice.
public enum StockholmTime {
    public enum Check: Equatable, Sendable {
        case ok
        /// The clock jumps from 02:00 to 03:00 that day.
        case missing
        /// The clock goes back from 03:00 to 02:00 that day: the time happens twice.
        case twice
    }

    static let zone = TimeZone(identifier: "Europe/Stockholm") ?? TimeZone(secondsFromGMT: 3600) ?? .current

    public static func check(_ day: Day, minutes: Int) -> Check {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let wanted = DateComponents(year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60)
        guard let date = calendar.date(from: wanted) else { return .missing }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.hour == wanted.hour, back.minute == wanted.minute, back.day == wanted.day else { return .missing }
        // The same wall time an hour earlier or later in absolute time: it happens twice.
        for shift in [-3600.0, 3600.0] {
            let other = calendar.dateComponents([.day, .hour, .minute], from: date.addingTimeInterval(shift))
            if other.day == wanted.day && other.hour == wanted.hour && other.minute == wanted.minute { return .twice }
        }
        return .ok
    }
}
