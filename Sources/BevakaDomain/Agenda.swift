/// One line of the agenda: a due item with the client it belongs to.
public struct AgendaEntry: Sendable, Equatable {
    public var item: DueItem
    public var clientName: String
    public var personnummer: Personnummer
    /// The decision's insats, nil for person-level items.
    public var service: String?
    /// Skyddade personuppgifter: lists say "Skyddad" instead of the birth date.
    public var protectedIdentity = false

    public func daysOverdue(on today: Day) -> Int { item.daysOverdue(on: today) }
}

/// What is overdue and what is due soon.
public enum Agenda {
    /// Everything not done that is overdue or due within `days` days of `today`,
    /// oldest first (ties: higher priority, then name).
    public static func entries(caseload: Caseload, routines: RoutineSet, today: Day, days: Int,
                               reasons: Bool = true) -> [AgendaEntry] {
        var entries = unsortedEntries(caseload.clients, routines: routines, today: today, days: days, reasons: reasons)
        sort(&entries)
        return entries
    }

    /// The entries of these clients in their order, not yet sorted; computed in chunks on all
    /// cores when there are many (the rules of one client never look at another). With `reasons`
    /// false the rules' reasons are left empty (`RuleEngine.ruleItems`), for a list without them.
    public static func unsortedEntries(_ clients: [Client], routines: RoutineSet, today: Day, days: Int,
                                       reasons: Bool = true) -> [AgendaEntry] {
        let horizon = today.adding(days: max(0, days))
        func entries(_ range: Range<Int>) -> [AgendaEntry] {
            var entries: [AgendaEntry] = []
            for client in clients[range] where !client.archived {
                for item in RuleEngine.items(for: client, routines: routines, today: today, reasons: reasons)
                where !item.isDone && item.due <= horizon {
                    let service = item.decisionID.flatMap { id in client.decisions.first { $0.id == id }?.service }
                    entries.append(AgendaEntry(item: item, clientName: client.name,
                                               personnummer: client.personnummer, service: service,
                                               protectedIdentity: client.protectedIdentity))
                }
            }
            return entries
        }
        // On all cores from 200 people: `bevaka agenda` hands over a large file's people a piece
        // at a time (some 400 in each 512 kB), which the 500 before left to one core; a usual
        // caseload of 100–150 stays on one (threads would cost about what they save).
        return Parallel.chunks(clients.count, minimum: 200) { entries($0) }.flatMap { $0 }
    }

    /// Oldest first; ties: higher priority, then name, then kind, then the order they came in.
    /// Sorted as indices, so the entries themselves (large values) move once.
    /// The keys are read once per entry into arrays of their own (a comparison that copied both
    /// entries, strings and all, was most of the sort's time); `AgendaSortTests` compares the
    /// order with a stable sort by the entries themselves.
    public static func sort(_ entries: inout [AgendaEntry]) {
        var dues: [Int] = [], priorities: [Int] = [], kinds: [Int] = [], names: [String] = []
        dues.reserveCapacity(entries.count)
        priorities.reserveCapacity(entries.count)
        kinds.reserveCapacity(entries.count)
        names.reserveCapacity(entries.count)
        for entry in entries {
            dues.append(entry.item.due.dayNumber)
            priorities.append(entry.item.priority.rank)
            kinds.append(entry.item.kind.nameRank)
            names.append(entry.clientName)
        }
        let order = entries.indices.sorted { i, j in
            if dues[i] != dues[j] { return dues[i] < dues[j] }
            if priorities[i] != priorities[j] { return priorities[i] < priorities[j] }
            if names[i] != names[j] { return names[i] < names[j] }
            if kinds[i] != kinds[j] { return kinds[i] < kinds[j] }
            return i < j
        }
        // The permutation applied in place, cycle by cycle (entry i becomes the one at order[i]):
        // no second list of entries is held.
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            var position = start
            while true {
                placed[position] = true
                let source = order[position]
                if source == start { break }
                entries.swapAt(position, source)
                position = source
            }
        }
    }
}
