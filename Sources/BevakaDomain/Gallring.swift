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
