import BevakaDomain
import BevakaStore

/// The unit on the shared store, as the app shows it: whose cases are whose, who covers for
/// whom, the switch between one's own and covered caseloads, handovers on the case screen, and
/// the manager's read-only planning view. The database decides what the user may see; this only
/// shows it.
extension AppState {
    /// The manager's planning view cannot change anything.
    public var readOnly: Bool { unit?.kind == .chef }

    func inScope(_ clientID: String) -> Bool {
        guard let scopeOwner, let unit else { return true }
        return (unit.owners[clientID] ?? unit.me) == scopeOwner
    }

    /// The handläggare the user can narrow the lists to: themself and those they cover for; for
    /// the manager, every handläggare with cases.
    var scopeChoices: [String] {
        guard let unit else { return [] }
        let owners = Set(unit.owners.values)
        switch unit.kind {
        case .handlaggare:
            let covered = unit.coveringFor.map(\.covered).filter { owners.contains($0) }
            return covered.isEmpty ? [] : [unit.me] + covered
        case .chef, .admin:
            return owners.count > 1 ? owners.sorted { unit.shortName($0) < unit.shortName($1) } : []
        }
    }

    mutating func cycleScope() {
        let choices = scopeChoices
        guard !choices.isEmpty, let unit else {
            message = unit == nil ? "Växla mellan ärendelistor gäller den delade ärendelistan."
                : "Du täcker inte för någon just nu; alla ärenden du ser är dina."
            messageIsError = false
            return
        }
        if let current = scopeOwner, let index = choices.firstIndex(of: current) {
            scopeOwner = index + 1 < choices.count ? choices[index + 1] : nil
        } else {
            scopeOwner = choices.first
        }
        for screen in [Screen.overview, .reminders, .caseload, .yearPlan] { selection[screen] = 0 }
        if let owner = scopeOwner {
            message = owner == unit.me ? "Visar dina egna ärenden. v växlar." : "Visar \(unit.possessive(owner)) ärenden. v växlar."
        } else {
            message = "Visar alla ärenden du ser. v växlar."
        }
        messageIsError = false
    }

    /// "[BK] " before the name of a case that is someone else's (covered, or in the manager's view).
    func ownerTag(_ clientID: String) -> String {
        guard let unit, unit.isOthers(clientID), let owner = unit.owners[clientID] else { return "" }
        let initials = unit.shortName(owner).split(separator: " ").compactMap(\.first).map(String.init).joined()
        return "[\(initials.isEmpty ? owner : initials)] "
    }

    /// The unit's line in the status bar when nothing else is said.
    var unitLine: String? {
        guard let unit else { return nil }
        let scope = scopeOwner.map { $0 == unit.me ? " · visar dina (v)" : " · visar \(unit.possessive($0)) (v)" } ?? ""
        switch unit.kind {
        case .chef:
            var line = "Enhetschef: planering, bara läsning\(scope)"
            if let due = logReviewDue { line += " · Loggkontroll \(due) saknas (bevaka db loggkontroll)" }
            return line
        case .admin:
            return "Databasens ägare: hela enheten\(scope)"
        case .handlaggare:
            var parts = unit.coveringFor.map { "Du täcker för \(unit.shortName($0.covered)) till \($0.until)" }
            parts += unit.coveredBy.map { "\(unit.shortName($0.covering)) täcker för dig till \($0.until)" }
            return parts.isEmpty ? nil : parts.joined(separator: " · ") + scope
        }
    }

    /// The manager's loggkontroll that is due and not recorded ("oktober 2026"), if any.
    public var logReviewDue: String? {
        guard let unit, unit.kind == .chef,
              let due = LogReview.duePeriod(today: today, lastReviewedThrough: unit.logReviewedThrough,
                                            intervalMonths: unit.logReviewIntervalMonths) else { return nil }
        let name = { (day: Day) in "\(SwedishCalendarNames.months[day.month - 1]) \(day.year)" }
        return due.from.month == due.to.month ? name(due.from) : "\(name(due.from))–\(name(due.to))"
    }

    /// On the case screen: whose the case is and its handovers.
    var caseUnitLines: [(text: String, role: Role)] {
        guard let unit, let client = openClient else { return [] }
        var lines: [(String, Role)] = []
        let owner = unit.owners[client.id] ?? unit.me
        if owner != unit.me {
            let cover = unit.coveringFor.first { $0.covered == owner }
            let name = TerminalText.sanitize(unit.names[owner] ?? owner)
            lines.append((cover.map { "Handläggare: \(name); du täcker till \($0.until)." } ?? "Handläggare: \(name).", .highlight))
        }
        for handover in client.handovers {
            lines.append(("Handläggarbyte \(handover.on): \(TerminalText.sanitize(unit.shortName(handover.from))) → \(TerminalText.sanitize(unit.shortName(handover.to))) (av \(TerminalText.sanitize(unit.shortName(handover.by))))", .muted))
        }
        return lines
    }

    /// The manager opened a case: the full record replaces the planning data (no undo step:
    /// nothing was changed).
    mutating func takeOpened(_ client: Client) {
        guard let index = clientIndex[client.id] else { return }
        caseload.clients[index] = client
    }

    /// A person the user may no longer see (handed over, a cover ended): taken out, with a message.
    mutating func takeGone(_ change: ChangedElsewhere) {
        let id = change.client.id
        guard let index = clientIndex[id] else { return }
        let name = TerminalText.sanitize(caseload.clients[index].name)
        var next = caseload
        next.clients.remove(at: index)
        for step in undoStack.indices { undoStack[step].caseload.clients.removeAll { $0.id == id } }
        for step in redoStack.indices { redoStack[step].caseload.clients.removeAll { $0.id == id } }
        caseload = next
        unit?.owners[id] = nil
        if openClientID == id {
            openClientID = nil
            form = nil
            dismiss(.choice)
            dismiss(.prompt)
            document = nil
            screen = returnScreen == .caseDetail ? .overview : returnScreen
        }
        clampSelection()
        message = change.alreadyInUnit
            ? "\(name) lades inte till: personen finns redan hos en annan handläggare i enheten; be enhetschefen om ett handläggarbyte."
            : "\(name) är inte längre ditt ärende (handläggarbyte eller slutat vikariat) och togs bort ur listan."
        messageIsError = true
    }

    /// Why the manager may open a protected person's case: the log's words (migration 11).
    public static let openPurposeWords = ["handläggarbyte", "tillsyn", "begäran från den enskilde", "annat"]

    /// The person whose full case is on the screen, and which screen: what the access log records.
    public var viewedCase: (clientID: String, what: String)? {
        guard let id = openClientID, let what = screen.unit.viewed(self) else { return nil }
        return (id, what)
    }
}

/// One handläggare's line in the manager's unit view.
public struct UnitRow: Sendable, Equatable {
    public var owner: String
    public var name: String
    public var people: Int
    /// Open bevakningar past their date, by kind.
    public var overdue: [DueKind: Int]
    /// The årshjul's follow-ups in each of the next twelve months, this month first.
    public var months: [Int]
    public var plansMissing: Int
    /// Running decisions that end within 90 days.
    public var decisionsEnding: Int
    /// Decisions not carried out, interruptions and reports to IVO, overdue or due within 30 days.
    public var ivo: Int = 0
    /// Decisions not started past the ladder's "Har insatsen startat?" (stalled starts), and the
    /// oldest decision date among them.
    public var stalled: Int = 0
    public var oldestStalled: Day?

    public var overdueTotal: Int { overdue.values.reduce(0, +) }

    /// Another count of the same handläggare's people (one core's share) added in.
    mutating func add(_ other: UnitRow) {
        people += other.people
        overdue.merge(other.overdue, uniquingKeysWith: +)
        plansMissing += other.plansMissing
        decisionsEnding += other.decisionsEnding
        ivo += other.ivo
        stalled += other.stalled
        if let oldest = other.oldestStalled, oldestStalled.map({ oldest < $0 }) ?? true { oldestStalled = oldest }
    }

    /// The next twelve months' counts, this month first, from `planned`'s 24 (January of this
    /// year on: `YearPlan.plannedPerMonth` over this year and the next).
    static func nextTwelve(_ planned: [Int]?, today: Day) -> [Int] {
        var months = Array(repeating: 0, count: 12)
        for (slot, count) in (planned ?? []).enumerated() {
            let offset = slot + 1 - today.month
            if (0..<12).contains(offset) { months[offset] = count }
        }
        return months
    }
}

extension AppState {
    /// The tabs Tab and the number keys switch between: the unit view for the manager.
    public var tabs: [Screen] {
        guard let unit, unit.kind != .handlaggare, Set(unit.owners.values).count > 0 else { return Screen.tabs }
        return Screen.tabs + [.unit]
    }

    /// The unit per handläggare: workload and what is late, to even out the load.
    public var unitRows: [UnitRow] {
        cache.value("unitRows", key: [AnyHashable(version), today]) { computeUnitRows() }
    }

    /// Every handläggare's row, the people counted on all cores (each core's rows added up
    /// after), each person's årshjul months (`YearPlan.plannedMonths`) in the same pass as the
    /// other counts; the same rows as `computeUnitRowsReference` (UnitViewTests compares them),
    /// which counts the months apart (`plannedPerOwner`).
    func computeUnitRows() -> [UnitRow] {
        guard let unit else { return [] }
        let clients = caseload.clients
        let itemsByClient = self.itemsByClient
        let today = self.today
        let soon = today.adding(days: 90)
        let inAMonth = today.adding(days: 30)
        // Every handläggare, also one without cases: the view is for evening out the load.
        var slots: [String: Int] = [:]
        var owners: [String] = []
        for role in unit.handlaggare where slots[role] == nil {
            slots[role] = owners.count
            owners.append(role)
        }
        // Each person's handläggare as a slot, once: looked up on all cores among the
        // handläggare's (-1: archived, -2: an owner not among them, given a slot after, in order).
        let known = slots
        let ownerOf = { (index: Int) -> String in unit.owners[clients[index].id] ?? unit.me }
        var slotOf = Parallel.chunks(clients.count, minimum: 2_000) { range in
            range.map { index -> Int in
                guard !clients[index].archived else { return -1 }
                return known[ownerOf(index)] ?? -2
            }
        }.flatMap { $0 }
        for index in slotOf.indices where slotOf[index] == -2 {
            let owner = ownerOf(index)
            if let slot = slots[owner] {
                slotOf[index] = slot
            } else {
                slots[owner] = owners.count
                slotOf[index] = owners.count
                owners.append(owner)
            }
        }
        let empty = owners.map { UnitRow(owner: $0, name: unit.names[$0] ?? $0, people: 0, overdue: [:],
                                         months: Array(repeating: 0, count: 12), plansMissing: 0, decisionsEnding: 0) }
        let routines = self.routines
        // The årshjul's months of this year and the next, as `plannedPerOwner` counts them, in
        // the same pass (each person's items looked up once).
        let years = today.year...(today.year + 1)
        let parts = Parallel.chunks(clients.count, minimum: 2_000) { range -> (rows: [UnitRow], planned: [[Int]]) in
            var rows = empty
            var planned = [[Int]](repeating: Array(repeating: 0, count: 24), count: empty.count)
            for index in range where slotOf[index] >= 0 {
                let client = clients[index]
                let slot = slotOf[index]
                let items = itemsByClient[client.id] ?? []
                AppState.count(client, items: items, into: &rows[slot], today: today, soon: soon, inAMonth: inAMonth)
                var months = YearPlan.plannedMonths(client, items: items, routines: routines, years: years, today: today)
                while months != 0 {
                    planned[slot][months.trailingZeroBitCount] += 1
                    months &= months - 1
                }
            }
            return (rows, planned)
        }
        var rows = empty
        var planned = [[Int]](repeating: Array(repeating: 0, count: 24), count: empty.count)
        for part in parts {
            for (slot, row) in part.rows.enumerated() { rows[slot].add(row) }
            for (slot, counts) in part.planned.enumerated() {
                for month in counts.indices { planned[slot][month] += counts[month] }
            }
        }
        for slot in rows.indices { rows[slot].months = UnitRow.nextTwelve(planned[slot], today: today) }
        return rows.sorted { $0.name.localizedCompare($1.name) == .orderedAscending }
    }

    /// The next twelve months' follow-ups per handläggare: this year's months and next year's.
    func plannedPerOwner(_ unit: UnitContext) -> [String: [Int]] {
        YearPlan.plannedPerMonth(caseload: caseload, routines: routines, years: today.year...(today.year + 1),
                                 today: today, itemsByClient: itemsByClient) { unit.owners[$0.id] ?? unit.me }
    }

    /// One person in their handläggare's row: counted, and their open items.
    static func count(_ client: Client, items: [DueItem], into row: inout UnitRow, today: Day, soon: Day, inAMonth: Day) {
        row.people += 1
        for item in items where !item.isDone {
            if item.kind == .notStarted || item.kind == .interrupted || item.kind == .ivoReport, item.due <= inAMonth {
                row.ivo += 1
            }
            if item.kind == .startCheck, item.due <= today {
                row.stalled += 1
                if let decided = client.decisions.first(where: { $0.id == item.decisionID })?.decisionDate,
                   row.oldestStalled.map({ decided < $0 }) ?? true {
                    row.oldestStalled = decided
                }
            }
            guard item.due < today else { continue }
            row.overdue[item.kind, default: 0] += 1
            if item.kind == .carePlanMissing { row.plansMissing += 1 }
        }
        for decision in client.decisions where decision.closedOn == nil {
            if let end = decision.validTo, end >= today && end <= soon { row.decisionsEnding += 1 }
        }
    }

    /// The reference for `computeUnitRows`: the people grouped by handläggare first, then each
    /// handläggare's counted one person at a time, on one core.
    func computeUnitRowsReference() -> [UnitRow] {
        guard let unit else { return [] }
        var byOwner: [String: [Client]] = [:]
        // Every handläggare, also one without cases: the view is for evening out the load.
        for role in unit.handlaggare { byOwner[role] = [] }
        for client in caseload.clients where !client.archived {
            byOwner[unit.owners[client.id] ?? unit.me, default: []].append(client)
        }
        let soon = today.adding(days: 90)
        let inAMonth = today.adding(days: 30)
        let planned = plannedPerOwner(unit)
        return byOwner.map { owner, clients in
            var row = UnitRow(owner: owner, name: unit.names[owner] ?? owner, people: 0, overdue: [:],
                              months: UnitRow.nextTwelve(planned[owner], today: today), plansMissing: 0, decisionsEnding: 0)
            for client in clients {
                AppState.count(client, items: itemsByClient[client.id] ?? [], into: &row, today: today, soon: soon, inAMonth: inAMonth)
            }
            return row
        }.sorted { $0.name.localizedCompare($1.name) == .orderedAscending }
    }

    /// `R`: the manager picks the new handläggare for the selected or open case.
    mutating func askReassign() {
        guard let unit, unit.kind != .handlaggare else {
            message = unit == nil ? "Handläggarbyte gäller den delade ärendelistan." : "Handläggarbyte görs av enhetschefen."
            messageIsError = false
            return
        }
        guard let id = currentClientID, let client = client(id) else { return }
        let current = unit.owners[id]
        let roles = unit.handlaggare.filter { $0 != current }
        guard !roles.isEmpty else {
            message = "Det finns ingen annan handläggare i enheten att flytta till."
            return
        }
        push(.choice(Choice("Handläggarbyte för \(TerminalText.sanitize(client.name)) (nu \(current.map(unit.shortName) ?? "ingen")): till vem?",
                        roles.map { Choice.Option(TerminalText.sanitize(unit.names[$0] ?? $0), .reassign(clientID: id, to: $0)) })))
    }

    mutating func takeReassigned(clientID: String, to: String, error: String?) {
        let name = client(clientID).map { TerminalText.sanitize($0.name) } ?? "ärendet"
        if let error {
            message = "Handläggarbytet för \(name) gjordes inte: \(error)"
            messageIsError = true
            return
        }
        unit?.owners[clientID] = to
        message = "\(name) är flyttad till \(unit?.shortName(to) ?? to); bytet står i ärendet och i loggen."
        messageIsError = false
    }
}

func drawUnit(_ state: AppState, into buffer: inout CellBuffer) {
    let rows = state.unitRows
    let people = rows.reduce(0) { $0 + $1.people }
    buffer.put("Enheten: \(rows.count) handläggare, \(people) personer · per \(state.today)", x: 1, y: 1, role: .header)
    let nameWidth = state.width >= 100 ? 20 : 14
    let fixed = 1 + nameWidth + 1 + 5 + 5 + 5 + 6 + 5 + 5
    let monthCount = max(0, min(12, (state.width - fixed - 1) / 4))
    buffer.put("Handläggare", x: 1, y: 2, role: .muted, maxWidth: nameWidth)
    var x = 1 + nameWidth + 1
    for title in ["Pers", "Förs", "IVO"] {
        buffer.put(padLeft(title, 4), x: x, y: 2, role: .muted)
        x += 5
    }
    buffer.put(padLeft("Start", 5), x: x, y: 2, role: .muted)
    x += 6
    for offset in 0..<monthCount {
        let month = (state.today.month - 1 + offset) % 12
        buffer.put(padLeft(String(SwedishCalendarNames.shortMonths[month].prefix(3)), 3), x: x, y: 2, role: .muted)
        x += 4
    }
    buffer.put(padLeft("Plan", 4), x: x, y: 2, role: .muted)
    buffer.put(padLeft("Upph", 4), x: x + 5, y: 2, role: .muted)
    // The list takes the rows it needs; the selected handläggare's details get the rest, so the
    // cover's date is not cut off at 80×24 (issue 35, item 18).
    let listRows = max(1, min(max(rows.count, 1), state.contentHeight - 7))
    let range = drawList(state, count: rows.count, firstY: 3, rows: listRows, into: &buffer) { index, y, selected, buffer in
        let row = rows[index]
        let base: Role = selected ? .selection : .normal
        buffer.put(TerminalText.sanitize(row.name), x: 1, y: y, role: base, maxWidth: nameWidth)
        var x = 1 + nameWidth + 1
        buffer.put(padLeft(String(row.people), 4), x: x, y: y, role: base)
        x += 5
        buffer.put(padLeft(String(row.overdueTotal), 4), x: x, y: y, role: selected ? base : row.overdueTotal > 0 ? .overdue : .normal)
        x += 5
        buffer.put(padLeft(String(row.ivo), 4), x: x, y: y, role: selected ? base : row.ivo > 0 ? .warning : .normal)
        x += 5
        buffer.put(padLeft(String(row.stalled), 5), x: x, y: y, role: selected ? base : row.stalled > 0 ? .overdue : .normal)
        x += 6
        for offset in 0..<monthCount {
            buffer.put(padLeft(String(row.months[offset]), 3), x: x, y: y, role: base)
            x += 4
        }
        buffer.put(padLeft(String(row.plansMissing), 4), x: x, y: y, role: selected ? base : row.plansMissing > 0 ? .warning : .normal)
        buffer.put(padLeft(String(row.decisionsEnding), 4), x: x + 5, y: y, role: base)
    }
    if rows.isEmpty { buffer.put("Inga ärenden i enheten än.", x: 1, y: 3, role: .muted) }
    drawScrollHint(state, range: range, count: rows.count, y: 1, into: &buffer)
    // The selected handläggare's overdue bevakningar by kind, and what the columns mean.
    let detailY = 3 + listRows + 1
    if rows.indices.contains(state.selectedIndex), detailY < state.height - 3 {
        let row = rows[state.selectedIndex]
        let kinds = DueKind.allCases.compactMap { kind in row.overdue[kind].map { "\(kind.label) \($0)" } }
        // Stalled starts first: they are the ones a person is waiting for now.
        var text = row.stalled > 0
            ? "Ej startade insatser: \(row.stalled)" + (row.oldestStalled.map { " (äldsta beslutet \($0))" } ?? "") + ". " : ""
        text += "Försenade för \(TerminalText.sanitize(row.name)): " + (kinds.isEmpty ? "inga" : kinds.joined(separator: " · "))
        // Who covers whom, until when.
        if let unit = state.unit {
            let covers = unit.covers.filter { $0.covered == row.owner || $0.covering == row.owner }.map { cover in
                cover.covered == row.owner ? "täcks av \(unit.shortName(cover.covering)) till \(cover.until)"
                    : "täcker för \(unit.shortName(cover.covered)) till \(cover.until)"
            }
            if !covers.isEmpty { text += ". Vikariat: " + covers.joined(separator: ", ") }
        }
        // Then what the short headings mean, in words (issue 35, item 18): in full where there
        // is room, else in short, and never cut for the details.
        let room = max(0, state.height - 3 - detailY)
        let details = wrap(text, width: state.width - 2)
        var legend = wrap(unitLegend(monthCount: monthCount, short: false), width: state.width - 2)
        if details.count + legend.count > room { legend = wrap(unitLegend(monthCount: monthCount, short: true), width: state.width - 2) }
        let lines = details.prefix(max(0, room - legend.count)).map { ($0, Role.normal) } + legend.map { ($0, Role.muted) }
        for (offset, line) in lines.prefix(room).enumerated() {
            buffer.put(line.0, x: 1, y: detailY + offset, role: line.1)
        }
    }
    // The manager's own bevakning: the loggkontroll of the last period, until it is recorded.
    if let due = state.logReviewDue {
        buffer.put("Loggkontroll \(due) ej gjord: bevaka db loggkontroll", x: 1, y: state.height - 3, role: .overdue,
                   maxWidth: state.width - 2)
    }
}

/// The unit table's headings in words (`short` where the screen is small).
func unitLegend(monthCount: Int, short: Bool) -> String {
    if short {
        return "Plan: planer som saknas · Upph: upphör inom 90 d · Förs: försenade · IVO: att rapportera · Start: ej startade"
    }
    return "Pers: personer. Förs: försenade bevakningar. IVO: ej verkställda beslut och avbrott att rapportera. "
        + "Start: insatser som inte har startat. "
        + (monthCount > 0 ? "Månaderna: uppföljningar enligt årshjulet. " : "")
        + "Plan: genomförandeplaner som saknas. Upph: beslut som upphör inom 90 dagar."
}

/// Right-aligns `text` in `width` columns (numbers in the unit table).
func padLeft(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - TerminalText.width(text))) + text
}

/// Enheten: the unit manager's view per handläggare (shared store).
enum UnitScreen: ScreenUnit {
    static let title = "Enheten"
    static let context = KeyContext.unit

    static func listCount(_ state: AppState) -> Int { state.unitRows.count }

    static func enter(_ state: inout AppState) {
        let rows = state.unitRows
        guard rows.indices.contains(state.selectedIndex) else { return }
        // The owner is taken before the screen changes (the selection is the list's then).
        let owner = rows[state.selectedIndex].owner
        state.scopeOwner = owner
        state.show(.caseload)
        state.message = "Visar \(state.unit.map { $0.possessive(owner) } ?? owner + ":s") ärenden. v växlar, R byter handläggare."
        state.messageIsError = false
    }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawUnit(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? {
        let rows = state.unitRows
        return rows.indices.contains(state.selectedIndex) ? rows[state.selectedIndex].name : nil
    }
}
