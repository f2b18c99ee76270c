/// A bevakning stored in a case.
///
/// Two sorts share this type. A `manual` reminder carries its own date and text. Any other
/// kind is the handläggare's decision about an item the rules produced (moved, prioritised,
/// marked done): it names the rule's date in `ruleDue`, so that it applies to that occurrence
/// only, and a later occurrence (next year's follow-up) starts fresh.
public struct Reminder: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var decisionID: String?
    public var kind: DueKind
    public var due: Day
    /// For rule items: the date the rule gave when this reminder was made.
    public var ruleDue: Day?
    public var text: String?
    public var priority: Priority
    public var status: ReminderStatus
    public var doneOn: Day?

    public init(id: String, decisionID: String? = nil, kind: DueKind, due: Day, ruleDue: Day? = nil,
                text: String? = nil, priority: Priority = .normal, status: ReminderStatus = .notStarted,
                doneOn: Day? = nil) {
        self.id = id
        self.decisionID = decisionID
        self.kind = kind
        self.due = due
        self.ruleDue = ruleDue
        self.text = text
        self.priority = priority
        self.status = status
        self.doneOn = doneOn
    }

    enum CodingKeys: String, CodingKey {
        case id
        case decisionID = "decision"
        case kind, due, ruleDue, text, priority, status
        case doneOn = "done"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        decisionID = try c.decodeIfPresent(String.self, forKey: .decisionID)
        kind = try c.decode(DueKind.self, forKey: .kind)
        due = try c.decode(Day.self, forKey: .due)
        ruleDue = try c.decodeIfPresent(Day.self, forKey: .ruleDue)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        priority = try c.decodeIfPresent(Priority.self, forKey: .priority) ?? .normal
        status = try c.decodeIfPresent(ReminderStatus.self, forKey: .status) ?? .notStarted
        doneOn = try c.decodeIfPresent(Day.self, forKey: .doneOn)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(decisionID, forKey: .decisionID)
        try c.encode(kind, forKey: .kind)
        try c.encode(due, forKey: .due)
        try c.encodeIfPresent(ruleDue, forKey: .ruleDue)
        try c.encodeIfPresent(text, forKey: .text)
        if priority != .normal { try c.encode(priority, forKey: .priority) }
        if status != .notStarted { try c.encode(status, forKey: .status) }
        try c.encodeIfPresent(doneOn, forKey: .doneOn)
    }
}
