/// One line of the agenda: a due item with the client it belongs to.
public struct AgendaEntry: Sendable, Equatable {
    public var item: DueItem
    public var clientName: String
    public var personnummer: Personnummer
    /// The decision's insats, nil for person-level items.
    public var service: String?

    public func daysOverdue(on today: Day) -> Int { item.daysOverdue(on: today) }
}

/// What is overdue and what is due soon.
public enum Agenda {
    /// Everything not done that is overdue or due within `days` days of `today`,
    /// oldest first (ties: higher priority, then name).
    public static func entries(caseload: Caseload, routines: RoutineSet, today: Day, days: Int) -> [AgendaEntry] {
        let horizon = today.adding(days: max(0, days))
        var entries: [AgendaEntry] = []
        for client in caseload.clients where !client.archived {
            for item in RuleEngine.items(for: client, routines: routines, today: today)
            where !item.isDone && item.due <= horizon {
                let service = item.decisionID.flatMap { id in client.decisions.first { $0.id == id }?.service }
                entries.append(AgendaEntry(item: item, clientName: client.name,
                                           personnummer: client.personnummer, service: service))
            }
        }
        entries.sort { a, b in
            if a.item.due != b.item.due { return a.item.due < b.item.due }
            if a.item.priority != b.item.priority { return a.item.priority < b.item.priority }
            if a.clientName != b.clientName { return a.clientName < b.clientName }
            return a.item.kind.rawValue < b.item.kind.rawValue
        }
        return entries
    }
}
