/// Swedish public holidays (Lag 1989:253 om allmänna helgdagar) and the three eves that are
/// treated as non-working (midsommarafton, julafton, nyårsafton): a visit is booked on neither.
public enum WorkingDays {
    /// Easter Sunday (Gregorian computus, Meeus/Jones/Butcher).
    public static func easterSunday(year: Int) -> Day {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(dayNumber: Day.daysFromCivil(year, month, day))
    }

    /// The holidays and eves of a year, with their Swedish names.
    public static func holidays(year: Int) -> [(day: Day, name: String)] {
        func date(_ m: Int, _ d: Int) -> Day { Day(dayNumber: Day.daysFromCivil(year, m, d)) }
        /// The Saturday within [from, from + 6].
        func saturday(from start: Day) -> Day { start.adding(days: (6 - start.weekday + 7) % 7) }
        let easter = easterSunday(year: year)
        let midsummerDay = saturday(from: date(6, 20))
        return [
            (date(1, 1), "nyårsdagen"),
            (date(1, 6), "trettondedag jul"),
            (easter.adding(days: -2), "långfredagen"),
            (easter, "påskdagen"),
            (easter.adding(days: 1), "annandag påsk"),
            (date(5, 1), "första maj"),
            (easter.adding(days: 39), "Kristi himmelsfärdsdag"),
            (easter.adding(days: 49), "pingstdagen"),
            (date(6, 6), "Sveriges nationaldag"),
            (midsummerDay.adding(days: -1), "midsommarafton"),
            (midsummerDay, "midsommardagen"),
            (saturday(from: date(10, 31)), "alla helgons dag"),
            (date(12, 24), "julafton"),
            (date(12, 25), "juldagen"),
            (date(12, 26), "annandag jul"),
            (date(12, 31), "nyårsafton"),
        ]
    }

    public static func holidayName(_ day: Day) -> String? {
        holidays(year: day.year).first { $0.day == day }?.name
    }

    public static func isWorkingDay(_ day: Day) -> Bool {
        !day.isWeekend && !isHoliday(day)
    }

    /// `day` itself if it is a working day, else the nearest earlier one.
    public static func onOrBefore(_ day: Day) -> Day {
        var candidate = day
        while candidate.isWeekend || isHoliday(candidate) {
            candidate = candidate.adding(days: -1)
        }
        return candidate
    }

    /// `day` itself if it is a working day, else the nearest later one (an IVO reporting period
    /// that starts on a holiday: never moved back into the quarter it reports on).
    public static func onOrAfter(_ day: Day) -> Day {
        var candidate = day
        while candidate.isWeekend || isHoliday(candidate) {
            candidate = candidate.adding(days: 1)
        }
        return candidate
    }

    /// The `count`th working day after `day` (Swedish public holidays and weekends skipped).
    public static func adding(workingDays count: Int, to day: Day) -> Day {
        var candidate = day
        var left = max(0, count)
        while left > 0 {
            candidate = candidate.adding(days: 1)
            if isWorkingDay(candidate) { left -= 1 }
        }
        return isWorkingDay(candidate) ? candidate : onOrAfter(candidate)
    }

    /// Whether `day` is one of `holidays(year:)`, answered from the date alone: the fixed dates,
    /// the Saturdays and Friday of their windows (midsommar June 19–26, alla helgons dag October 31
    /// – November 6) and the offsets from Easter. No table and nothing allocated: the rules ask for
    /// every decision, and a short command should not build a century of holidays to start
    /// (FastPathTests compares it with `holidays(year:)` on every day of five centuries).
    static func isHoliday(_ day: Day) -> Bool {
        let (year, month, date) = day.civil
        switch month {
        case 1:
            return date == 1 || date == 6  // nyårsdagen, trettondedag jul
        case 5:
            if date == 1 { return true }  // första maj
        case 6:
            if date == 6 { return true }  // Sveriges nationaldag
            // Midsommardagen is the Saturday of June 20–26, midsommarafton the Friday before.
            if date >= 20 && date <= 26 && day.weekday == 6 { return true }
            if date >= 19 && date <= 25 && day.weekday == 5 { return true }
        case 10:
            return date == 31 && day.weekday == 6  // alla helgons dag: the Saturday of Oct 31 – Nov 6
        case 11:
            return date <= 6 && day.weekday == 6
        case 12:
            return date == 24 || date == 25 || date == 26 || date == 31
        default:
            break
        }
        // Långfredagen, påskdagen, annandag påsk, Kristi himmelsfärdsdag, pingstdagen: March–June.
        guard month >= 3 && month <= 6 else { return false }
        let offset = day.dayNumber - easterSunday(year: year).dayNumber
        return offset == -2 || offset == 0 || offset == 1 || offset == 39 || offset == 49
    }

    /// Working days in a month.
    public static func count(year: Int, month: Int) -> Int {
        guard let first = Day(year: year, month: month, day: 1) else { return 0 }
        let holidaySet = Set(holidays(year: year).map(\.day))
        return (0..<Day.daysIn(month: month, year: year)).reduce(0) { total, offset in
            let day = first.adding(days: offset)
            return total + (day.isWeekend || holidaySet.contains(day) ? 0 : 1)
        }
    }
}
