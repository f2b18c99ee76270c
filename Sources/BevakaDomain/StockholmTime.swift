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

    /// The Gregorian calendar in Stockholm's zone, made once (the case screen and Översikt ask
    /// for a booking's times on every drawing).
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    /// Whether the clock changes that day: the last Sunday of March or October (the EU's rule,
    /// as the calendar export's VTIMEZONE says). Any other day only the calendar's arithmetic
    /// could disagree with plain minutes, and it does not.
    public static func clockChanges(on day: Day) -> Bool {
        (day.month == 3 || day.month == 10) && day.weekday == 7 && day.day + 7 > 31
    }

    public static func check(_ day: Day, minutes: Int) -> Check {
        guard clockChanges(on: day) else { return (0..<1440).contains(minutes) ? .ok : .missing }
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

    /// The wall clock when a visit ends, in minutes after midnight of its day (1440 and more: the
    /// next day): its length counted in real time, so across the night summer time begins or
    /// ends the end is an hour earlier or later on the clock than start + length.
    public static func endMinutes(_ day: Day, start: Int, minutes: Int, secondOccurrence: Bool) -> Int {
        // A visit (at most 12 hours) that touches no day the clock changes: plain minutes.
        guard clockChanges(on: day) || clockChanges(on: day.adding(days: 1)) else { return start + minutes }
        let wanted = DateComponents(year: day.year, month: day.month, day: day.day, hour: start / 60, minute: start % 60)
        let kind = check(day, minutes: start)
        guard var instant = calendar.date(from: wanted), kind != .missing else { return start + minutes }
        if kind == .twice {
            // Summer time is +02:00: the first of the two; normal time +01:00: the second.
            let summer = zone.secondsFromGMT(for: instant) == 7200
            if secondOccurrence && summer { instant += 3600 }
            if !secondOccurrence && !summer { instant -= 3600 }
        }
        let end = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant.addingTimeInterval(Double(minutes) * 60))
        guard let endDay = Day(year: end.year ?? day.year, month: end.month ?? day.month, day: end.day ?? day.day) else { return start + minutes }
        return (endDay.dayNumber - day.dayNumber) * 1440 + (end.hour ?? 0) * 60 + (end.minute ?? 0)
    }
}
