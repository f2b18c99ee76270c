/// The committee's decision granting one insats.
public struct Decision: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var law: Law
    /// The insats as text: municipalities name their services their own way (see `ServiceCatalog`).
    public var service: String
    public var form: DecisionForm?
    /// Hours per month granted and actually performed (hemtjänst).
    public var grantedHours: Double?
    public var performedHours: Double?
    /// The month the performed hours are for, `YYYY-MM` (the provider reports month by month).
    public var performedMonth: String?
    /// First valid day.
    public var validFrom: Day
    /// Last valid day; nil for a decision until further notice (tillsvidare).
    public var validTo: Day?
    /// The verkställighet date: when the support actually started.
    public var startedOn: Day?
    public var provider: Provider?
    public var consent: ConsentStatus?
    public var plan: CarePlan?
    /// Set when the handläggare closes the decision; a closed decision yields no items.
    public var closedOn: Day?

    public init(id: String, law: Law, service: String, form: DecisionForm? = nil,
                grantedHours: Double? = nil, performedHours: Double? = nil,
                validFrom: Day, validTo: Day? = nil, startedOn: Day? = nil,
                provider: Provider? = nil, consent: ConsentStatus? = nil,
                plan: CarePlan? = nil, closedOn: Day? = nil, performedMonth: String? = nil) {
        self.id = id
        self.law = law
        self.service = service
        self.form = form
        self.grantedHours = grantedHours
        self.performedHours = performedHours
        self.validFrom = validFrom
        self.validTo = validTo
        self.startedOn = startedOn
        self.provider = provider
        self.consent = consent
        self.plan = plan
        self.closedOn = closedOn
        self.performedMonth = performedMonth
    }

    /// The date the rules count from: the start of the support where known, else the first valid day.
    public var ruleStart: Day { startedOn ?? validFrom }

    /// True once the last valid day has passed.
    public func hasEnded(on today: Day) -> Bool {
        if let validTo { return validTo < today }
        return false
    }

    enum CodingKeys: String, CodingKey {
        case id, law, service, form
        case grantedHours = "granted"
        case performedHours = "performed"
        case validFrom = "from"
        case validTo = "to"
        case startedOn = "started"
        case provider, consent, plan
        case closedOn = "closed"
        case performedMonth
    }

    /// Decoded field by field so that a number a form would refuse (1e300 hours) is refused here
    /// too, with the field named, instead of reaching the rules' arithmetic.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func hours(_ key: CodingKeys) throws -> Double? {
            guard let value = try c.decodeIfPresent(Double.self, forKey: key) else { return nil }
            if let problem = Hours.problem(value) {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: StoredValue.problemMarker + "\(Hours.describe(value)) timmar: \(problem)")
            }
            return value
        }
        id = try c.decode(String.self, forKey: .id)
        law = try c.decode(Law.self, forKey: .law)
        service = try c.decode(String.self, forKey: .service)
        form = try c.decodeIfPresent(DecisionForm.self, forKey: .form)
        grantedHours = try hours(.grantedHours)
        performedHours = try hours(.performedHours)
        performedMonth = try c.decodeIfPresent(String.self, forKey: .performedMonth)
        validFrom = try c.decode(Day.self, forKey: .validFrom)
        validTo = try c.decodeIfPresent(Day.self, forKey: .validTo)
        startedOn = try c.decodeIfPresent(Day.self, forKey: .startedOn)
        provider = try c.decodeIfPresent(Provider.self, forKey: .provider)
        consent = try c.decodeIfPresent(ConsentStatus.self, forKey: .consent)
        plan = try c.decodeIfPresent(CarePlan.self, forKey: .plan)
        closedOn = try c.decodeIfPresent(Day.self, forKey: .closedOn)
    }
}
