/// Something that must be done by a date: produced by a rule or stored by hand.
public struct DueItem: Sendable, Equatable, Hashable {
    public var clientID: String
    /// nil for person-level items (annual follow-up R8, preparation R6) and most manual ones.
    public var decisionID: String?
    public var kind: DueKind
    public var due: Day
    /// Why, in plain Swedish, naming the facts the rule used.
    public var reason: String
    /// The date the rule itself gave (before the handläggare moved it); nil for manual items.
    public var ruleDue: Day?
    /// The stored reminder that carries this item's status, if any.
    public var reminderID: String?
    public var priority: Priority
    public var status: ReminderStatus

    public init(clientID: String, decisionID: String?, kind: DueKind, due: Day, reason: String,
                ruleDue: Day? = nil, reminderID: String? = nil,
                priority: Priority = .normal, status: ReminderStatus = .notStarted) {
        self.clientID = clientID
        self.decisionID = decisionID
        self.kind = kind
        self.due = due
        self.reason = reason
        self.ruleDue = ruleDue ?? (kind == .manual ? nil : due)
        self.reminderID = reminderID
        self.priority = priority
        self.status = status
    }

    public var isDone: Bool { status == .done }

    /// Days past due on `today`; 0 when due today or later.
    public func daysOverdue(on today: Day) -> Int {
        max(0, due.days(until: today))
    }

    public func isOverdue(on today: Day) -> Bool {
        !isDone && due < today
    }
}
