/// One handläggarbyte: the case moved from one handläggare to another (shared store only).
/// Recorded by the database when the unit manager reassigns the case; roles, not names.
public struct Handover: Codable, Sendable, Equatable, Hashable {
    public var from: String
    public var to: String
    public var on: Day
    /// The role that made the change (the unit manager).
    public var by: String

    public init(from: String, to: String, on: Day, by: String) {
        self.from = from
        self.to = to
        self.on = on
        self.by = by
    }
}

/// Who the user is in the unit, and whose cases they see (shared store only; nil on the file).
public struct UnitContext: Sendable, Equatable {
    public enum Kind: String, Sendable { case handlaggare, chef, admin }

    public struct Cover: Sendable, Equatable, Hashable {
        /// The handläggare whose caseload is covered, and the colleague covering.
        public var covered: String
        public var covering: String
        /// The last day of the cover.
        public var until: Day

        public init(covered: String, covering: String, until: Day) {
            self.covered = covered
            self.covering = covering
            self.until = until
        }
    }

    /// The database role the user logged in as.
    public var me: String
    public var kind: Kind
    /// Display names by role (from `db user add --name`).
    public var names: [String: String]
    /// Active covers that involve the user (either side).
    public var covers: [Cover]
    /// The handläggare of each visible case, by client id.
    public var owners: [String: String]
    /// The unit's handläggare (roles), by name: whom a case can move to.
    public var handlaggare: [String] = []
    /// The manager's loggkontroll: the last day the recorded reviews cover, and how many months
    /// each review covers (the unit's setting).
    public var logReviewedThrough: Day?
    public var logReviewIntervalMonths = 1
    /// The unit's gallring period in months, as the database keeps it (nil: the unit does not
    /// gallra). In the shared store this, not profiles.json, is the rule.
    public var gallringMonths: Int? = Gallring.defaultMonths

    public init(me: String, kind: Kind, names: [String: String] = [:], covers: [Cover] = [], owners: [String: String] = [:]) {
        self.me = me
        self.kind = kind
        self.names = names
        self.covers = covers
        self.owners = owners
    }

    /// Those the user covers for, and those covering for the user.
    public var coveringFor: [Cover] { covers.filter { $0.covering == me } }
    public var coveredBy: [Cover] { covers.filter { $0.covered == me } }

    /// "Anna L." for a role whose name is "Anna Lind"; the role itself when no name is known.
    /// The genitive of the short name: "Anna L:s", "Bo K:s" (`UnitContext.genitive`).
    public func possessive(_ role: String) -> String {
        UnitContext.genitive(shortName(role))
    }

    /// A name's genitive as Swedish writes it: "Bos", "Lars" (after s, x, z nothing is added),
    /// and after an abbreviation a colon: "Anna L:s".
    public static func genitive(_ name: String) -> String {
        if name.hasSuffix(".") { return name.dropLast() + ":s" }
        guard let last = name.last?.lowercased() else { return name }
        return ["s", "x", "z"].contains(last) ? name : name + "s"
    }

    public func shortName(_ role: String) -> String {
        guard let full = names[role] else { return role }
        let words = full.split(separator: " ")
        guard words.count > 1, let first = words.first, let initial = words.last?.first else { return full }
        return "\(first) \(initial)."
    }

    /// The case is someone else's (covered, or seen by the manager).
    public func isOthers(_ clientID: String) -> Bool {
        guard let owner = owners[clientID] else { return false }
        return owner != me
    }
}
