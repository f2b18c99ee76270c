/// The committee's decision granting one insats.
///
/// The fields every rule reads are stored in the value; the verkställighet and IVO fields that
/// few decisions have (offers, interruptions, what is not carried out and why, the ladder's and
/// IVO's dates) live in one shared box, absent for most (`Pending`). A decision is then 288 bytes
/// instead of 432: a unit of 100,000 people holds some 300,000, which every list of the rules
/// copies (measured: the manager's view, `bevaka-bench --enhetsvy`).
public struct Decision: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var law: Law
    /// The insats as text: municipalities name their services their own way (see `ServiceCatalog`).
    public var service: String
    public var form: DecisionForm?
    /// Hours per month granted and actually performed (hemtjänst).
    public var grantedHours: Double?
    public var performedHours: Double?
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
    /// The day the decision was made (beslutsdatum): the three months of R11 run from it. When
    /// unknown, the first valid day is used (and the case screen says so).
    public var decidedOn: Day?

    /// The fields few decisions have, as one value (all empty: no box at all).
    struct Pending: Equatable, Sendable {
        var performedMonth: String?
        var offers: [Offer] = []
        var notCarriedOut: String?
        var interruptions: [Interruption] = []
        var delayReason: String?
        var consequences: String?
        var postponedOn: Day?
        var orderConfirmedOn: Day?
        var escalatedOn: Day?
        var ivoReported: [String] = []
        var ivoClosingReported: String?
    }

    /// Changed only through `pendingForWriting()` (copied first when shared), and dropped when a
    /// change leaves it empty: equal decisions have equal boxes, or none (`==` compares them by
    /// value). `DecisionBoxTests` checks that every field is read, written, compared and coded.
    final class PendingBox: Equatable, @unchecked Sendable {
        var value: Pending
        init(_ value: Pending) { self.value = value }
        static func == (a: PendingBox, b: PendingBox) -> Bool { a.value == b.value }
    }

    private var pending: PendingBox? = nil

    private mutating func pendingForWriting() -> PendingBox {
        if isKnownUniquelyReferenced(&pending), let box = pending { return box }
        let box = PendingBox(pending?.value ?? Pending())
        pending = box
        return box
    }

    /// After a change through `box`: no box when it holds nothing.
    private mutating func settle(_ box: PendingBox) {
        if box.value == Pending() { pending = nil }
    }

    /// A field of the box set: nothing made when an `empty` value would go into no box.
    private mutating func write(empty: Bool, _ change: (inout Pending) -> Void) {
        if pending == nil && empty { return }
        let box = pendingForWriting()
        change(&box.value)
        settle(box)
    }

    /// The month the performed hours are for, `YYYY-MM` (the provider reports month by month).
    public var performedMonth: String? {
        get { pending?.value.performedMonth }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.performedMonth }
        set { write(empty: newValue == nil) { $0.performedMonth = newValue } }
    }
    /// Offers of the support made to the person, accepted or declined (for IVO).
    public var offers: [Offer] {
        get { pending?.value.offers ?? [] }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.offers }
        set { write(empty: newValue.isEmpty) { $0.offers = newValue } }
    }
    /// A partly carried out decision: the part not carried out, in words or hours ("3 av 5 h/mån").
    public var notCarriedOut: String? {
        get { pending?.value.notCarriedOut }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.notCarriedOut }
        set { write(empty: newValue == nil) { $0.notCarriedOut = newValue } }
    }
    /// Interruptions of support already started (R12).
    public var interruptions: [Interruption] {
        get { pending?.value.interruptions ?? [] }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.interruptions }
        set { write(empty: newValue.isEmpty) { $0.interruptions = newValue } }
    }
    /// Why the decision is not carried out, and what that means for the person (IVO asks for both).
    public var delayReason: String? {
        get { pending?.value.delayReason }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.delayReason }
        set { write(empty: newValue == nil) { $0.delayReason = newValue } }
    }
    public var consequences: String? {
        get { pending?.value.consequences }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.consequences }
        set { write(empty: newValue == nil) { $0.consequences = newValue } }
    }
    /// The person asked to postpone the start within a valfrihetssystem (LOV), from this day: its
    /// own reason in IVO's report, apart from a declined offer. The decision is still reported
    /// (R11), but no särskild avgift follows (34 kap. 6 § SoL (2025:400)).
    public var postponedOn: Day? {
        get { pending?.value.postponedOn }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.postponedOn }
        set { write(empty: newValue == nil) { $0.postponedOn = newValue } }
    }
    /// The verkställighet ladder (issue 33): the day the provider confirmed the order, and the day
    /// the missing start was escalated to the enhetschef.
    public var orderConfirmedOn: Day? {
        get { pending?.value.orderConfirmedOn }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.orderConfirmedOn }
        set { write(empty: newValue == nil) { $0.orderConfirmedOn = newValue } }
    }
    public var escalatedOn: Day? {
        get { pending?.value.escalatedOn }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.escalatedOn }
        set { write(empty: newValue == nil) { $0.escalatedOn = newValue } }
    }
    /// The quarters this decision was reported to IVO in ("2026-Q3"), and the quarter its closing
    /// report (carried out or closed) was sent in.
    public var ivoReported: [String] {
        get { pending?.value.ivoReported ?? [] }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.ivoReported }
        set { write(empty: newValue.isEmpty) { $0.ivoReported = newValue } }
    }
    public var ivoClosingReported: String? {
        get { pending?.value.ivoClosingReported }
        _modify { let box = pendingForWriting(); defer { settle(box) }; yield &box.value.ivoClosingReported }
        set { write(empty: newValue == nil) { $0.ivoClosingReported = newValue } }
    }

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

    /// The date R11's three months run from: the decision date, else the first valid day.
    public var decisionDate: Day { decidedOn ?? validFrom }

    /// Not (wholly) carried out: no started date, or started in part with the rest recorded.
    public var notCarriedOutYet: Bool {
        startedOn == nil || !(notCarriedOut ?? "").unicodeScalars.allSatisfy(Decision.isWhitespace)
    }

    /// `CharacterSet.whitespaces` as Foundation has it: the space separators (Zs), the tab and
    /// the zero width space (FastPathTests compares the two).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == " " || scalar.value == 0x200B
            || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
    }

    /// True once the last valid day has passed.
    public func hasEnded(on today: Day) -> Bool {
        if let validTo { return validTo < today }
        return false
    }

    /// Neither closed nor past its last valid day (`Client.runningDecisions`).
    public func isRunning(on today: Day) -> Bool { closedOn == nil && !hasEnded(on: today) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, law, service, form
        case grantedHours = "granted"
        case performedHours = "performed"
        case validFrom = "from"
        case validTo = "to"
        case startedOn = "started"
        case provider, consent, plan
        case closedOn = "closed"
        case performedMonth
        case decidedOn = "decided"
        case offers, notCarriedOut, interruptions, delayReason, consequences, ivoReported, ivoClosingReported
        case postponedOn = "postponed"
        case orderConfirmedOn = "orderConfirmed"
        case escalatedOn = "escalated"
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
        validFrom = try c.decode(Day.self, forKey: .validFrom)
        validTo = try c.decodeIfPresent(Day.self, forKey: .validTo)
        startedOn = try c.decodeIfPresent(Day.self, forKey: .startedOn)
        provider = try c.decodeIfPresent(Provider.self, forKey: .provider)
        consent = try c.decodeIfPresent(ConsentStatus.self, forKey: .consent)
        plan = try c.decodeIfPresent(CarePlan.self, forKey: .plan)
        closedOn = try c.decodeIfPresent(Day.self, forKey: .closedOn)
        decidedOn = try c.decodeIfPresent(Day.self, forKey: .decidedOn)
        // The fields of the box, together: a box only when one of them is there.
        var rare = Pending()
        rare.performedMonth = try c.decodeIfPresent(String.self, forKey: .performedMonth)
        rare.offers = try c.decodeIfPresent([Offer].self, forKey: .offers) ?? []
        rare.notCarriedOut = try c.decodeIfPresent(String.self, forKey: .notCarriedOut)
        rare.interruptions = try c.decodeIfPresent([Interruption].self, forKey: .interruptions) ?? []
        rare.delayReason = try c.decodeIfPresent(String.self, forKey: .delayReason)
        rare.consequences = try c.decodeIfPresent(String.self, forKey: .consequences)
        rare.postponedOn = try c.decodeIfPresent(Day.self, forKey: .postponedOn)
        rare.orderConfirmedOn = try c.decodeIfPresent(Day.self, forKey: .orderConfirmedOn)
        rare.escalatedOn = try c.decodeIfPresent(Day.self, forKey: .escalatedOn)
        rare.ivoReported = try c.decodeIfPresent([String].self, forKey: .ivoReported) ?? []
        rare.ivoClosingReported = try c.decodeIfPresent(String.self, forKey: .ivoClosingReported)
        pending = rare == Pending() ? nil : PendingBox(rare)
    }

    /// Empty lists are left out, so a store without these parts reads and writes as before.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(law, forKey: .law)
        try c.encode(service, forKey: .service)
        try c.encodeIfPresent(form, forKey: .form)
        try c.encodeIfPresent(grantedHours, forKey: .grantedHours)
        try c.encodeIfPresent(performedHours, forKey: .performedHours)
        try c.encode(validFrom, forKey: .validFrom)
        try c.encodeIfPresent(validTo, forKey: .validTo)
        try c.encodeIfPresent(startedOn, forKey: .startedOn)
        try c.encodeIfPresent(provider, forKey: .provider)
        try c.encodeIfPresent(consent, forKey: .consent)
        try c.encodeIfPresent(plan, forKey: .plan)
        try c.encodeIfPresent(closedOn, forKey: .closedOn)
        try c.encodeIfPresent(performedMonth, forKey: .performedMonth)
        try c.encodeIfPresent(decidedOn, forKey: .decidedOn)
        if !offers.isEmpty { try c.encode(offers, forKey: .offers) }
        try c.encodeIfPresent(notCarriedOut, forKey: .notCarriedOut)
        if !interruptions.isEmpty { try c.encode(interruptions, forKey: .interruptions) }
        try c.encodeIfPresent(delayReason, forKey: .delayReason)
        try c.encodeIfPresent(consequences, forKey: .consequences)
        try c.encodeIfPresent(postponedOn, forKey: .postponedOn)
        try c.encodeIfPresent(orderConfirmedOn, forKey: .orderConfirmedOn)
        try c.encodeIfPresent(escalatedOn, forKey: .escalatedOn)
        if !ivoReported.isEmpty { try c.encode(ivoReported, forKey: .ivoReported) }
        try c.encodeIfPresent(ivoClosingReported, forKey: .ivoClosingReported)
    }
}
