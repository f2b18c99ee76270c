/// When the rules ask for the person's consent before reading the provider's plan (R10).
public enum ConsentRule: String, Codable, Sendable {
    /// Only a private provider sits across a secrecy boundary (seed 000, seed 001 for ÄVO).
    case privateProviderOnly
    /// Every provider (seed 001: Göteborg's FFS cases).
    case always
    case never
}

/// One routine's settings: every number a rule uses, with the defaults of DOMAIN.md.
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

    public init(profiles: [RoutineProfile] = RoutineProfile.builtIn, catalog: ServiceCatalog = ServiceCatalog()) {
        self.profiles = Dictionary(profiles.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.catalog = catalog
    }

    public static let standard = RoutineSet()

    public func profile(for decision: Decision) -> RoutineProfile {
        let id = catalog.profileID(service: decision.service, law: decision.law)
        return profiles[id] ?? profiles[ServiceCatalog.fallbackProfile(for: decision.law)] ?? .hemtjanst
    }
}
