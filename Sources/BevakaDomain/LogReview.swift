import Foundation

/// Loggkontroll (GDPR art. 5.1 f, 24 and 32, 14 kap. 7 § SoL (2025:400), lag (2001:454); IMY's
/// guidance for healthcare followed by analogy — socialtjänst has no rule of its own): the
/// unit manager reviews the access log systematically and recurrently — a random sample of the
/// period's openings plus every one that stands out — and records the finding. Pure: the rows,
/// the period and the seed are parameters.
public enum LogReview {
    /// One opening (or export) of a case, as the log and the database know it.
    public struct Opening: Sendable, Equatable {
        public var logID: Int64
        public var at: Date
        public var who: String
        public var clientID: String
        /// The reader's own case, or one they covered, at that moment.
        public var ownOrCovered: Bool
        public var protectedIdentity: Bool

        public init(logID: Int64, at: Date, who: String, clientID: String, ownOrCovered: Bool, protectedIdentity: Bool) {
            self.logID = logID
            self.at = at
            self.who = who
            self.clientID = clientID
            self.ownOrCovered = ownOrCovered
            self.protectedIdentity = protectedIdentity
        }
    }

    /// Why an opening stands out, in the words the review shows.
    public enum Standout: String, Sendable, CaseIterable {
        case notOwn = "inte eget eller täckt ärende"
        case offHours = "utanför 07–19"
        case nonWorkingDay = "helgdag"
        case protectedIdentity = "skyddade personuppgifter"
        case burst = "många öppningar på kort tid"
    }

    /// Working hours (documented default): openings outside them stand out.
    public static let dayStarts = 7, dayEnds = 19
    /// This many openings by one role within `burstWindow` seconds stand out, all of them.
    public static let burstCount = 20
    public static let burstWindow: TimeInterval = 600

    static let stockholm: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Stockholm") ?? TimeZone(secondsFromGMT: 3600) ?? .current
        return calendar
    }()

    /// The local (Stockholm) calendar day and hour of a moment.
    public static func local(_ date: Date) -> (day: Day, hour: Int) {
        let parts = stockholm.dateComponents([.year, .month, .day, .hour], from: date)
        let day = Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(dayNumber: 0)
        return (day, parts.hour ?? 0)
    }

    /// What makes each opening stand out; openings that do not are left out.
    public static func standouts(_ openings: [Opening]) -> [Int64: [Standout]] {
        var result: [Int64: [Standout]] = [:]
        func flag(_ id: Int64, _ reason: Standout) {
            if !(result[id] ?? []).contains(reason) { result[id, default: []].append(reason) }
        }
        for opening in openings {
            if !opening.ownOrCovered { flag(opening.logID, .notOwn) }
            let (day, hour) = local(opening.at)
            if hour < dayStarts || hour >= dayEnds { flag(opening.logID, .offHours) }
            if !WorkingDays.isWorkingDay(day) { flag(opening.logID, .nonWorkingDay) }
            if opening.protectedIdentity { flag(opening.logID, .protectedIdentity) }
        }
        // Bursts: a sliding window over each role's openings in time order.
        for (_, own) in Dictionary(grouping: openings, by: \.who) {
            let sorted = own.sorted { ($0.at, $0.logID) < ($1.at, $1.logID) }
            var start = 0
            for end in sorted.indices {
                while sorted[end].at.timeIntervalSince(sorted[start].at) > burstWindow { start += 1 }
                if end - start + 1 >= burstCount {
                    for index in start...end { flag(sorted[index].logID, .burst) }
                }
            }
        }
        return result
    }

    /// `count` openings drawn from those that do not stand out, the same for the same seed (a
    /// review shown twice shows the same sample), in log order.
    public static func sample(_ openings: [Opening], excluding: Set<Int64>, count: Int, seed: UInt64) -> [Int64] {
        var pool = openings.map(\.logID).filter { !excluding.contains($0) }.sorted()
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var chosen: [Int64] = []
        while chosen.count < count, !pool.isEmpty {
            chosen.append(pool.remove(at: Int(next() % UInt64(pool.count))))
        }
        return chosen.sorted()
    }

    /// A stable seed for a period and a reviewer (FNV-1a).
    public static func seed(_ text: String) -> UInt64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return hash
    }

    /// The month `text` names ("2026-11"), first and last day.
    public static func period(_ text: String) -> (from: Day, to: Day)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (2000...2200).contains(year), let first = Day(year: year, month: month, day: 1) else { return nil }
        return (first, first.adding(months: 1).adding(days: -1))
    }

    /// The review period that should be done by `today`: the last whole block of
    /// `intervalMonths` calendar months before this month; nil when the last review covers it.
    public static func duePeriod(today: Day, lastReviewedThrough: Day?, intervalMonths: Int) -> (from: Day, to: Day)? {
        let months = max(1, min(12, intervalMonths))
        let index = (today.year * 12 + today.month - 1) / months * months   // first month of the current block
        guard let blockStart = Day(year: index / 12, month: index % 12 + 1, day: 1) else { return nil }
        let from = blockStart.adding(months: -months)
        let to = blockStart.adding(days: -1)
        if let last = lastReviewedThrough, last >= to { return nil }
        return (from, to)
    }
}
