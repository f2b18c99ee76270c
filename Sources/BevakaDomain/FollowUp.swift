/// One completed follow-up in a case's history.
public struct FollowUp: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var date: Day
    public var form: FollowUpForm
    public var trigger: FollowUpTrigger
    public var participants: [String]
    public var outcome: FollowUpOutcome?
    public var notes: String?
    /// The decisions it followed up; nil means every decision running on its date (R8).
    public var decisionIDs: [String]?
    /// The journalanteckning drafted when it was finished in Bevaka.
    public var journal: String?

    public init(id: String, date: Day, form: FollowUpForm, trigger: FollowUpTrigger,
                participants: [String] = [], outcome: FollowUpOutcome? = nil,
                notes: String? = nil, decisionIDs: [String]? = nil, journal: String? = nil) {
        self.id = id
        self.date = date
        self.form = form
        self.trigger = trigger
        self.participants = participants
        self.outcome = outcome
        self.notes = notes
        self.decisionIDs = decisionIDs
        self.journal = journal
    }

    public func covers(_ decision: Decision) -> Bool {
        decisionIDs?.contains(decision.id) ?? true
    }

    enum CodingKeys: String, CodingKey {
        case id, date, form, trigger, participants, outcome, notes
        case decisionIDs = "decisions"
        case journal
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        date = try c.decode(Day.self, forKey: .date)
        form = try c.decode(FollowUpForm.self, forKey: .form)
        trigger = try c.decode(FollowUpTrigger.self, forKey: .trigger)
        participants = try c.decodeIfPresent([String].self, forKey: .participants) ?? []
        outcome = try c.decodeIfPresent(FollowUpOutcome.self, forKey: .outcome)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        decisionIDs = try c.decodeIfPresent([String].self, forKey: .decisionIDs)
        journal = try c.decodeIfPresent(String.self, forKey: .journal)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(date, forKey: .date)
        try c.encode(form, forKey: .form)
        try c.encode(trigger, forKey: .trigger)
        if !participants.isEmpty { try c.encode(participants, forKey: .participants) }
        try c.encodeIfPresent(outcome, forKey: .outcome)
        try c.encodeIfPresent(notes, forKey: .notes)
        try c.encodeIfPresent(decisionIDs, forKey: .decisionIDs)
        try c.encodeIfPresent(journal, forKey: .journal)
    }
}
