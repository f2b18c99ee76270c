/// When the rules ask for the person's consent before reading the provider's plan (R10).
public enum ConsentRule: String, Codable, Sendable {
    /// Only a private provider sits across a secrecy boundary (seed 000, seed 001 for ÄVO).
    case privateProviderOnly
    /// Every provider (seed 001: Göteborg's FFS cases).
    case always
    case never
}

/// One routine's settings: every number a rule uses, with the defaults of docs/rules.md.
/// Built in for `sabo`, `hemtjanst` and `lss`; a user file may override any field.
public struct RoutineProfile: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// R1/R2: months between follow-ups.
    public var annualMonths: Int
    /// R4: days after the start by which the genomförandeplan must exist.
    public var carePlanDeadlineDays: Int
    /// R5: months after which a plan needs an action at follow-up; nil turns R5 off.
    public var carePlanStaleMonths: Int?
    /// R6: months before a planned follow-up the provider is told and asked for underlag.
    public var prepareLeadMonths: Int
    /// R7: allowed deviation between granted and performed time, percent; nil turns R7 off.
    public var timeTolerancePercent: Double?
    /// R3: lead = min(max, max(min, ⌈fraction × length⌉)) days before a decision ends.
    public var endLeadMaxDays: Int
    public var endLeadFraction: Double
    public var endLeadMinDays: Int
    /// R10.
    public var consentRule: ConsentRule
    /// R11: months after the decision date by which it must be carried out (else reported to
    /// IVO); nil turns R11 off.
    public var notStartedMonths: Int?
    /// R12: months an interruption may last before it is reported; nil turns R12 off.
    public var interruptionMonths: Int?
    /// Dates the handläggare acts on (prepare, the annual follow-up) that fall on a weekend or a
    /// public holiday are shown on the last working day before; the rule's date stays the deadline.
    public var actOnWorkingDays: Bool
    /// IVO's reporting period after each quarter, Q1…Q4: first and last day as (month, day); a
    /// month lower than the quarter's last month is in the next year (Q4 → January). Default:
    /// 1–30 April, 1 July–31 August, 1–31 October, 1–31 January (IVO, 2019).
    public var ivoReportingPeriods: [ReportingPeriod]
    /// The verkställighet ladder before R11; nil turns it off (`verkstallighetssteg` in profiles.json).
    public var verkstallighetssteg: VerkstallighetSteps? = .standard

    public init(id: String, name: String, annualMonths: Int = 12, carePlanDeadlineDays: Int,
                carePlanStaleMonths: Int? = nil, prepareLeadMonths: Int = 1,
                timeTolerancePercent: Double? = nil, endLeadMaxDays: Int = 30,
                endLeadFraction: Double = 0.15, endLeadMinDays: Int = 3,
                consentRule: ConsentRule = .privateProviderOnly, notStartedMonths: Int? = 3,
                interruptionMonths: Int? = 3, actOnWorkingDays: Bool = true) {
        self.id = id
        self.name = name
        self.annualMonths = annualMonths
        self.carePlanDeadlineDays = carePlanDeadlineDays
        self.carePlanStaleMonths = carePlanStaleMonths
        self.prepareLeadMonths = prepareLeadMonths
        self.timeTolerancePercent = timeTolerancePercent
        self.endLeadMaxDays = endLeadMaxDays
        self.endLeadFraction = endLeadFraction
        self.endLeadMinDays = endLeadMinDays
        self.consentRule = consentRule
        self.notStartedMonths = notStartedMonths
        self.interruptionMonths = interruptionMonths
        self.actOnWorkingDays = actOnWorkingDays
        self.ivoReportingPeriods = ReportingPeriod.ivoDefault
    }

    /// Seed 000: plan within 14 days of the start.
    public static let sabo = RoutineProfile(
        id: "sabo", name: "Vård- och omsorgsboende", carePlanDeadlineDays: 14)
    /// Seeds 001 and 004: plan handed back within 4 weeks; ±5 % time deviation.
    public static let hemtjanst = RoutineProfile(
        id: "hemtjanst", name: "Hemtjänst", carePlanDeadlineDays: 28, timeTolerancePercent: 5)
    /// Seed 003: plan started within 2 weeks; older than 6 months needs an action.
    public static let lss = RoutineProfile(
        id: "lss", name: "LSS", carePlanDeadlineDays: 14, carePlanStaleMonths: 6)

    public static let builtIn: [RoutineProfile] = [.sabo, .hemtjanst, .lss]
}

/// The profiles in force and the catalog that maps a decision to one of them.
public struct RoutineSet: Sendable {
    public var profiles: [String: RoutineProfile]
    public var catalog: ServiceCatalog
    /// Gallring: months after the last decision ended that an archived person is removed; nil
    /// never (`Gallring`).
    public var gallringMonths: Int?

    public init(profiles: [RoutineProfile] = RoutineProfile.builtIn, catalog: ServiceCatalog = ServiceCatalog(),
                gallringMonths: Int? = Gallring.defaultMonths) {
        self.profiles = Dictionary(profiles.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.catalog = catalog
        self.gallringMonths = gallringMonths
    }

    public static let standard = RoutineSet()

    public func profile(for decision: Decision) -> RoutineProfile {
        let id = catalog.profileID(service: decision.service, law: decision.law)
        return profiles[id] ?? profiles[ServiceCatalog.fallbackProfile(for: decision.law)] ?? .hemtjanst
    }
}

/// A reporting period after a quarter: from (month, day) to (month, day).
public struct ReportingPeriod: Codable, Sendable, Equatable {
    public var fromMonth: Int
    public var fromDay: Int
    public var toMonth: Int
    public var toDay: Int

    public init(fromMonth: Int, fromDay: Int, toMonth: Int, toDay: Int) {
        self.fromMonth = fromMonth
        self.fromDay = fromDay
        self.toMonth = toMonth
        self.toDay = toDay
    }

    public static let ivoDefault = [
        ReportingPeriod(fromMonth: 4, fromDay: 1, toMonth: 4, toDay: 30),
        ReportingPeriod(fromMonth: 7, fromDay: 1, toMonth: 8, toDay: 31),
        ReportingPeriod(fromMonth: 10, fromDay: 1, toMonth: 10, toDay: 31),
        ReportingPeriod(fromMonth: 1, fromDay: 1, toMonth: 1, toDay: 31),
    ]

    /// The period's days for `quarter` (Q4's January is in the next year).
    public func days(after quarter: Quarter) -> (first: Day, last: Day)? {
        let lastMonth = quarter.number * 3
        let fromYear = fromMonth <= lastMonth ? quarter.year + (fromMonth < lastMonth - 2 ? 1 : 0) : quarter.year
        let toYear = toMonth < fromMonth ? fromYear + 1 : fromYear
        guard let first = Day(year: fromYear, month: fromMonth, day: fromDay),
              let last = Day(year: toYear, month: toMonth, day: toDay), last >= first else { return nil }
        return (first, last)
    }

    /// "MM-DD–MM-DD", as in profiles.json.
    public init?(parsing text: String) {
        let parts = text.replacingOccurrences(of: "–", with: "/").split(separator: "/")
        guard parts.count == 2 else { return nil }
        let from = parts[0].split(separator: "-").compactMap { Int($0) }
        let to = parts[1].split(separator: "-").compactMap { Int($0) }
        guard from.count == 2, to.count == 2, (1...12).contains(from[0]), (1...12).contains(to[0]),
              (1...31).contains(from[1]), (1...31).contains(to[1]) else { return nil }
        self.init(fromMonth: from[0], fromDay: from[1], toMonth: to[0], toDay: to[1])
    }
}

/// The steps that catch a stalled start long before IVO's three months (issue 33): a Lex Sarah
/// case had a person wait two weeks for a trygghetslarm because nobody saw the order. Bevaka's
/// documented default; each number may be set per profile.
public struct VerkstallighetSteps: Codable, Sendable, Equatable {
    /// "Beställningen skickad och bekräftad av utföraren?": working days after the decision.
    public var orderWorkingDays: Int
    /// "Har insatsen startat?": days after the decision (or the planned start, if later).
    public var startDays: Int
    /// "Eskalera till enhetschefen: ingen verkställighet": months after the decision.
    public var escalationMonths: Int

    public init(orderWorkingDays: Int = 2, startDays: Int = 14, escalationMonths: Int = 2) {
        self.orderWorkingDays = orderWorkingDays
        self.startDays = startDays
        self.escalationMonths = escalationMonths
    }

    public static let standard = VerkstallighetSteps()
}
