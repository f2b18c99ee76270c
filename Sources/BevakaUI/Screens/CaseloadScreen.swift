import BevakaDomain

// Ärenden: the people, sorted by name or by what is due next.

extension AppState {
    public struct CaseRow: Sendable {
        public var client: Client
        public var next: DueItem?
        public var flags: String
    }

    public var caseRows: [CaseRow] {
        cache.value("cases", key: [AnyHashable(version), filter.text, caseloadView.sort, today, caseloadView.showArchived]) { computeCaseRows() }
    }

    func computeCaseRows() -> [CaseRow] {
        var nextByClient: [String: DueItem] = [:]
        var flags: [String: Set<Character>] = [:]
        for item in openItems {
            if nextByClient[item.clientID] == nil { nextByClient[item.clientID] = item }
            let flag: Character?
            switch item.kind {
            case .carePlanMissing, .carePlanStale: flag = "P"
            case .consentMissing: flag = "S"
            case .timeDeviation: flag = "T"
            case .decisionEnding, .decisionEnded: flag = endDate(of: item).map { $0 <= today.adding(days: 30) } == true ? "B" : nil
            default: flag = nil
            }
            if let flag { flags[item.clientID, default: []].insert(flag) }
        }
        var rows = caseload.clients.filter { (caseloadView.showArchived || !$0.archived) && clientMatches($0) }.map { client in
            CaseRow(client: client, next: nextByClient[client.id],
                    flags: String("PSTB".filter { flags[client.id]?.contains($0) ?? false }))
        }
        switch caseloadView.sort {
        case .name:
            rows.sort { $0.client.name.localizedCompare($1.client.name) == .orderedAscending }
        case .nextDue:
            rows.sort { a, b in
                switch (a.next?.due, b.next?.due) {
                case let (x?, y?) where x != y: return x < y
                case (nil, _?): return false
                case (_?, nil): return true
                default: return a.client.name < b.client.name
                }
            }
        }
        return rows
    }
}

func drawCaseload(_ state: AppState, into buffer: inout CellBuffer) {
    let rows = state.caseRows
    var title = "Ärenden: \(rows.count) \(rows.count == 1 ? "person" : "personer") · sorterat på \(state.caseloadView.sort.label)"
    if state.filterActive { title += " · sök \"\(state.filter.text)\"" }
    buffer.put(title, x: 1, y: 1, role: .header, maxWidth: state.width - 14)
    let wide = state.width >= 100
    let nameWidth = state.nameWidth
    let numberWidth = state.personnummerWidth
    let rest = state.width - 2 - nameWidth - 1 - (numberWidth + 1) - 11 - 5
    let servicesWidth = wide ? rest * 30 / 100 : rest * 45 / 100
    let providerWidth = wide ? rest * 25 / 100 : 0
    let whatWidth = rest - servicesWidth - providerWidth - (wide ? 1 : 0)
    let columns = [("Namn", nameWidth), (numberWidth < 13 ? "Född" : "Personnr", numberWidth), ("Insatser", servicesWidth)]
        + (wide ? [("Utförare", providerWidth)] : []) + [("Nästa", 10), ("Vad", whatWidth), ("Flg", 4)]
    var x = 1
    for (title, width) in columns {
        buffer.put(title, x: x, y: 2, role: .muted, maxWidth: width)
        x += width + 1
    }
    let range = drawList(state, count: rows.count, firstY: 3, rows: state.contentHeight - 3, into: &buffer) {
        index, y, selected, buffer in
        let row = rows[index]
        let base: Role = selected ? .selection : .normal
        var cells = [state.ownerTag(row.client.id) + row.client.name, state.shownPersonnummer(row.client.personnummer, protected: row.client.protectedIdentity),
                     row.client.decisions.filter { $0.closedOn == nil }.map { state.routines.catalog.listName($0.service) }.joined(separator: ", ")]
        if wide {
            cells.append(Array(Set(row.client.decisions.compactMap { $0.provider?.name })).sorted().joined(separator: ", "))
        }
        cells += [row.next?.due.description ?? "–", row.next.map { describe($0, in: state) } ?? "", row.flags]
        var x = 1
        for ((_, width), (column, text)) in zip(columns, cells.enumerated()) {
            var cellRole = base
            if !selected, column == cells.count - 3, let next = row.next { cellRole = role(of: next, today: state.today) }
            if !selected, column == cells.count - 1 { cellRole = .warning }
            if !selected, column == 1 { cellRole = .muted }
            buffer.put(text, x: x, y: y, role: cellRole, maxWidth: width)
            x += width + 1
        }
    }
    if rows.isEmpty {
        buffer.put(state.filterActive ? "Ingen person matchar filtret." : "Inga ärenden än.", x: 1, y: 4, role: .muted)
    }
    drawScrollHint(state, range: range, count: rows.count, y: 1, into: &buffer)
    buffer.put("Flaggor: P plan · S samtycke · T tid · B beslut löper ut", x: 1, y: state.height - 3, role: .muted)
}

extension AppState {
    /// Archived people shown or hidden.
    mutating func toggleArchived() {
        caseloadView.showArchived.toggle()
        message = caseloadView.showArchived ? "Arkiverade personer visas (markerade A)." : "Arkiverade personer döljs."
    }
}

/// Ärenden's own state.
public struct CaseloadView: Equatable, Sendable {
    public var sort: CaseSort = .nextDue
    /// Archived people are listed too (`A`).
    public var showArchived = false
}

/// Ärenden: every person, by name or by the next date.
enum CaseloadScreen: ScreenUnit {
    static let title = "Ärenden"
    static let context = KeyContext.caseload

    static func listCount(_ state: AppState) -> Int { state.caseRows.count }

    static func listRows(_ state: AppState) -> Int { state.contentHeight - 3 }

    static func currentClientID(_ state: AppState) -> String? {
        let rows = state.caseRows
        return rows.indices.contains(state.selectedIndex) ? rows[state.selectedIndex].client.id : nil
    }

    static func enter(_ state: inout AppState) {
        if let id = currentClientID(state) { state.openCase(id) }
    }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawCaseload(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? {
        let rows = state.caseRows
        guard rows.indices.contains(state.selectedIndex) else { return nil }
        let row = rows[state.selectedIndex]
        return TerminalText.sanitize(row.client.name) + (row.next.map { ", nästa: \(describe($0, in: state)) \($0.due)" } ?? "")
    }

    static func meets(_ requirement: Binding.Requirement, _ state: AppState) -> Bool? {
        switch requirement {
        case .aLine, .aPerson: !state.caseRows.isEmpty
        default: nil
        }
    }
}
