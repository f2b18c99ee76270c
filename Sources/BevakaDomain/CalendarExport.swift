/// The open bevakningar and planned follow-ups as an iCalendar file (RFC 5545) that Outlook,
/// Thunderbird and Google Calendar import: CRLF line ends, lines folded at 75 octets, text
/// escaped, all-day events with an alarm at 08:00 on the day, and a stable UID per bevakning so
/// importing a newer file updates the events instead of adding copies.
///
/// Work calendars are shared, so by default an event names the person by initials and the
/// service only; never the personnummer. Free text typed into a manual bevakning can hold
/// anything, so it is included only with `fullNames`.
public enum CalendarExport {
    public struct Options: Sendable {
        public var from: Day
        public var to: Day
        public var fullNames: Bool
        /// When the file is made (DTSTAMP), UTC, as `YYYYMMDDTHHMMSSZ`.
        public var stamp: String

        public init(from: Day, to: Day, fullNames: Bool = false, stamp: String) {
            self.from = from
            self.to = to
            self.fullNames = fullNames
            self.stamp = stamp
        }
    }

    /// Deadlines only: the conditions (R7 time deviation, R10 consent) are "due today" for as long
    /// as they hold, which is no calendar date.
    static let kinds: Set<DueKind> = [.annualFollowUp, .prepareFollowUp, .decisionEnding, .carePlanMissing,
                                      .carePlanStale, .decisionEnded, .manual]

    public static func ics(caseload: Caseload, routines: RoutineSet, today: Day, options: Options) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Bevaka//Bevaka//SV",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Bevaka",
        ] + stockholm
        // Initials are made unique within the export ("A.He.", "A.Ha."), so two people never
        // look like one in a shared calendar.
        let shown = caseload.clients.filter { !$0.archived }
        let labels = uniqueInitials(shown)
        var overdueCount = 0
        for client in shown {
            let label = labels[client.id] ?? initials(client.name)
            let items = RuleEngine.items(for: client, routines: routines, today: today)
                .filter { item in
                    guard !item.isDone, kinds.contains(item.kind) else { return false }
                    // Overdue items stand on today's date, so the calendar does not look clear when it is not.
                    let day = max(item.due, today)
                    return day >= options.from && day <= options.to
                }
                .sorted { $0.due < $1.due }
            for item in items {
                if item.due < today { overdueCount += 1 }
                lines += event(item, client: client, label: label, today: today, options: options)
            }
            if let booking = client.booking, booking.date >= options.from, booking.date <= options.to {
                lines += bookedEvent(booking, client: client, label: label, today: today, options: options)
            }
        }
        // One reminder for everything overdue, instead of an alarm per event on today's date.
        if overdueCount > 0 && today >= options.from && today <= options.to {
            lines += overdueSummary(count: overdueCount, today: today, options: options)
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Stable across exports: the person and what the bevakning is about, not its date, so a
    /// moved date updates the same event. One annual follow-up per person (R8) and one of each
    /// kind per decision; a manual bevakning is its own.
    public static func uid(_ item: DueItem) -> String {
        let what: String
        switch item.kind {
        case .manual: what = item.reminderID ?? "manual"
        case .annualFollowUp, .prepareFollowUp: what = item.kind.rawValue
        default: what = "\(item.decisionID ?? "person").\(item.kind.rawValue)"
        }
        return "\(item.clientID).\(what)@bevaka"
    }

    static func event(_ item: DueItem, client: Client, label: String, today: Day, options: Options) -> [String] {
        // A person with protected identity: never the name, not even with full names.
        let fullNames = options.fullNames && !client.protectedIdentity
        let who = fullNames ? client.name : label
        let services: [String]
        if let decisionID = item.decisionID, let decision = client.decisions.first(where: { $0.id == decisionID }) {
            services = [decision.service]
        } else {
            services = client.runningDecisions(on: today).map(\.service)
        }
        let overdue = item.due < today
        var summary = (overdue ? "FÖRSENAD " : "") + "\(item.kind.label): \(who)"
        if !services.isEmpty { summary += " (\(services.joined(separator: ", ")))" }
        var description: String
        if item.kind == .manual {
            description = fullNames && !item.reason.isEmpty
                ? TerminalText.maskPersonalNumbers(item.reason) : "Egen bevakning; texten finns i Bevaka."
        } else {
            // The rule, not its source: a routine's citation names example people ("Anna, Erik"),
            // which in a shared calendar reads like clients.
            description = "\(item.kind.label) (regel \(item.kind.rule) i Bevaka)."
        }
        if overdue { description += " Försenad sedan \(item.due); visas på dagens datum tills den är klar." }
        let day = max(item.due, today)
        let start = compact(day)
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(uid(item))",
            "DTSTAMP:\(options.stamp)",
            "DTSTART;VALUE=DATE:\(start)",
            "DTEND;VALUE=DATE:\(compact(day.adding(days: 1)))",
            "SUMMARY:\(escape(summary))",
            "DESCRIPTION:\(escape(description))",
            "CATEGORIES:Bevaka",
            "TRANSP:TRANSPARENT",
        ]
        // Overdue ones share one alarm (the summary event); each of the others has its own.
        if !overdue {
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:\(escape(summary))", "TRIGGER;RELATED=START:PT8H",
                      "END:VALARM"]
        }
        return lines + ["END:VEVENT"]
    }

    /// Today's one event for everything overdue, with one alarm; no names.
    static func overdueSummary(count: Int, today: Day, options: Options) -> [String] {
        let summary = "Bevaka: \(count) försenade \(count == 1 ? "bevakning" : "bevakningar")"
        return [
            "BEGIN:VEVENT",
            "UID:overdue-\(compact(today))@bevaka",
            "DTSTAMP:\(options.stamp)",
            "DTSTART;VALUE=DATE:\(compact(today))",
            "DTEND;VALUE=DATE:\(compact(today.adding(days: 1)))",
            "SUMMARY:\(escape(summary))",
            "DESCRIPTION:\(escape("Försenade bevakningar står på dagens datum tills de är klara; öppna Bevaka."))",
            "CATEGORIES:Bevaka",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:\(escape(summary))",
            "TRIGGER;RELATED=START:PT8H",
            "END:VALARM",
            "END:VEVENT",
        ]
    }

    /// Initials that tell the people of one export apart: one letter of each part of the name,
    /// and where two people share them a number after ("Å.E.", "Å.E. 2", in the caseload's order)
    /// — never more letters, which would spell out a short surname (issue 35).
    public static func uniqueInitials(_ clients: [Client]) -> [String: String] {
        var result: [String: String] = [:]
        var seen: [String: Int] = [:]
        for client in clients where result[client.id] == nil {
            let base = initials(client.name)
            let count = (seen[base] ?? 0) + 1
            seen[base] = count
            result[client.id] = count == 1 ? base : "\(base) \(count)"
        }
        return result
    }

    /// Europe/Stockholm for timed events, so Outlook places them right: CET/CEST with the EU rule
    /// (last Sunday of March 02:00 to 03:00, last Sunday of October 03:00 to 02:00).
    static let stockholm = [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Stockholm",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]

    /// A booked visit: a timed event in local time. Initials and services by default; the place
    /// (the person's address, usually) only with `fullNames`. The same UID across runs.
    static func bookedEvent(_ booking: Booking, client: Client, label: String, today: Day, options: Options) -> [String] {
        let who = options.fullNames && !client.protectedIdentity ? client.name : label
        let services = client.runningDecisions(on: today).map(\.service)
        var summary = "Bokat besök: \(who)"
        if !services.isEmpty { summary += " (\(services.joined(separator: ", ")))" }
        func local(_ minutes: Int) -> String {
            let clock = Booking.clock(minutes).replacingOccurrences(of: ":", with: "")
            // A visit that runs past midnight ends the next day.
            let day = minutes >= 1440 ? booking.date.adding(days: 1) : booking.date
            return compact(day) + "T" + clock + "00"
        }
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(client.id).booking@bevaka",
            "DTSTAMP:\(options.stamp)",
            // The second of a time that happens twice (the night summer time ends) in UTC: a
            // local time that happens twice means the first (RFC 5545, 3.3.5). The length as a
            // DURATION, so a visit across the change is as long as it was booked (issue 35, item 9).
            booking.secondOccurrence && StockholmTime.check(booking.date, minutes: booking.start) == .twice
                ? "DTSTART:\(local(booking.start - 60))Z" : "DTSTART;TZID=Europe/Stockholm:\(local(booking.start))",
            "DURATION:PT\(booking.minutes)M",
            "SUMMARY:\(escape(summary))",
            "DESCRIPTION:\(escape("Uppföljning, bokad i Bevaka (\(booking.minutes) min)."))",
        ]
        // A person with protected identity: never the place, not even with full names.
        if options.fullNames, !client.protectedIdentity, let place = booking.place ?? client.address.map(\.oneLine),
           !place.isEmpty {
            lines.append("LOCATION:\(escape(place))")
        }
        lines += [
            "CATEGORIES:Bevaka",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:\(escape(summary))",
            "TRIGGER:-PT30M",
            "END:VALARM",
            "END:VEVENT",
        ]
        return lines
    }

    /// "Anna Maria Lindqvist" → "A.M.L."
    public static func initials(_ name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "-" }).compactMap(\.first).map { "\($0.uppercased())." }.joined()
    }

    static func compact(_ day: Day) -> String {
        day.description.replacingOccurrences(of: "-", with: "")
    }

    /// RFC 5545 3.3.11: backslash, semicolon, comma and line breaks are escaped; other control
    /// characters are not allowed in TEXT and are dropped.
    public static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// RFC 5545 3.1: a line longer than 75 octets is split, each continuation starting with one
    /// space, never inside a UTF-8 sequence (nor, here, inside a grapheme).
    /// RFC 5545 §3.1: lines longer than 75 octets are folded. Counted in octets and cut between
    /// Unicode scalars, never inside a UTF-8 sequence; a letter with many combining marks may
    /// be split between its marks, which the RFC allows (unfolding joins the octets again).
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            // The first line holds 75 octets; continuations 74 after their leading space.
            let limit = parts.isEmpty ? 75 : 74
            if octets + size > limit {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                octets = 0
            }
            current.append(scalar)
            octets += size
        }
        parts.append(String(current))
        return parts.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }.joined(separator: "\r\n")
    }
}
