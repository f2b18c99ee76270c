import Foundation

/// Gallring: Bevaka is a working list beside the case system (the personakt lives there), so a
/// person whose support has ended leaves the list once it no longer needs them. By default a
/// person who is archived and all of whose decisions ended or were closed is removed 12 months
/// after the last end (a setting of the routines: `gallringMonths`, or null for never). A person
/// without any decision is never removed by this rule (nothing says when their support ended);
/// remove them by hand. Pure: `today` is a parameter.
public enum Gallring {
    public static let defaultMonths = 12

    public struct Candidate: Sendable, Equatable {
        public var client: Client
        /// The last day any of the person's decisions ran (its end or the day it was closed).
        public var lastEnd: Day
        /// The day the person could first be removed.
        public var dueOn: Day
    }

    /// The day the person's last decision ended, when every one has ended or been closed.
    public static func lastEnd(of client: Client) -> Day? {
        guard !client.decisions.isEmpty else { return nil }
        var last: Day?
        for decision in client.decisions {
            guard let end = [decision.closedOn, decision.validTo].compactMap({ $0 }).min() else { return nil }
            last = max(last ?? end, end)
        }
        return last
    }

    /// Who may be removed on `today`: archived, every decision over, and `months` since the last end.
    public static func candidates(_ caseload: Caseload, months: Int?, today: Day) -> [Candidate] {
        guard let months else { return [] }
        return caseload.clients.compactMap { client in
            guard client.archived, let end = lastEnd(of: client) else { return nil }
            let due = end.adding(months: months)
            guard due <= today, end < today else { return nil }
            return Candidate(client: client, lastEnd: end, dueOn: due)
        }
    }
}

extension Gallring {
    /// Whether a gallring may delete on `today`. Deleting is never done as of a date later than
    /// the real one: a `--today` or `BEVAKA_TODAY` ahead of the computer's clock (left in a
    /// profile, used for planning) would remove people early, so it makes a dry run; an earlier
    /// date removes fewer and is safe. A clock that stands before the store's last save is wrong
    /// (a save cannot come from the future), so nothing is deleted until it is right.
    public enum Permission: Equatable, Sendable {
        case allowed
        /// Show who would go, delete nobody; the reason is a Swedish sentence.
        case dryRun(String)
        case refused(String)
    }

    /// `clockToday` is the computer's date (Europe/Stockholm); `lastSaved` the store's last save
    /// and `now` the computer's time, when known.
    public static func permission(today: Day, clockToday: Day, lastSaved: Date?, now: Date) -> Permission {
        if today > clockToday {
            return .dryRun("Datumet \(today) (--today eller BEVAKA_TODAY) ligger efter datorns datum \(clockToday): "
                           + "gallringen blir en provkörning och ingen tas bort. Gallring görs bara på det verkliga datumet.")
        }
        // A minute's slack: the file's time and the clock are the same clock, but a file system
        // may round.
        if let lastSaved, lastSaved.timeIntervalSince(now) > 60 {
            return .refused("Datorns klocka står före ärendelistans senaste sparande: ingen gallras förrän klockan är rätt.")
        }
        return .allowed
    }

    /// "A.L., född 19400101" (a protected person: "skyddad identitet") — how a removal is named
    /// on the screen and in the message log: enough to recognise, nothing more.
    public static func label(_ client: Client) -> String {
        if client.protectedIdentity { return "en person med skyddad identitet" }
        let initials = client.name.split(whereSeparator: { $0 == " " || $0 == "-" })
            .compactMap(\.first).map { "\($0)." }.joined()
        let born = client.personnummer.digits.count >= 8 ? String(client.personnummer.digits.prefix(8)) : "okänt år"
        return "\(initials.isEmpty ? "?" : initials), född \(born)"
    }
}

extension Gallring {
    /// When an archived person leaves the list, said in words: "gallras tidigast 2027-12-01
    /// enligt enhetens regel, 12 månader efter sista beslutet". `unit` says whose rule it is (the
    /// shared store's database, or this computer's profiles.json).
    /// A person already due says since when, and how it is done.
    public static func when(_ client: Client, months: Int?, unit: Bool, today: Day) -> String {
        let rule = unit ? "enligt enhetens regel" : "enligt gallringsregeln"
        guard let months else { return "Gallring är avstängd: personen tas inte bort ur listan av sig själv." }
        let span = months == 1 ? "1 månad" : "\(months) månader"
        guard let end = lastEnd(of: client) else {
            return "Gallras \(rule) tidigast \(span) efter att sista beslutet upphört; ett beslut löper fortfarande."
        }
        let due = end.adding(months: months)
        if due <= today, client.archived {
            return "Kan gallras sedan \(due) \(rule), \(span) efter sista beslutet (\(end)): nästa start frågar, eller kör bevaka gallra."
        }
        return "Gallras tidigast \(due) \(rule), \(span) efter sista beslutet (\(end))."
    }
}
