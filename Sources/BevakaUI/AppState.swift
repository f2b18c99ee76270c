import BevakaStore
import BevakaDomain
import Foundation

public enum Screen: Int, CaseIterable, Sendable {
    case overview, yearPlan, reminders, caseload, caseDetail, welcome
    /// A follow-up in progress: the checklist of the open case.
    case checklist
    /// A text of the open case to read, edit, copy or save: the journal draft or the underlag.
    case document
    /// A form: a person, a decision, a plan, performed time, closing a decision.
    case form
    /// The unit manager's view of the unit per handläggare (shared store).
    case unit

    /// The four screens Tab and 1–4 switch between.
    public static let tabs: [Screen] = [.overview, .yearPlan, .reminders, .caseload]

    public var title: String { unit.title }
}

public enum ReminderFilter: Int, CaseIterable, Sendable {
    case overdue, week, upcoming, done, all

    public var label: String {
        switch self {
        case .overdue: return "försenade"
        case .week: return "denna vecka"
        case .upcoming: return "kommande"
        case .done: return "klara"
        case .all: return "alla"
        }
    }
}

public enum CaseSort: Sendable {
    case name, nextDue

    public var label: String { self == .name ? "namn" : "nästa datum" }
}

/// What a one-line prompt at the bottom is asking for.
public enum PromptPurpose: Equatable, Sendable {
    case markDoneOn(ItemKey)
    case moveTo(ItemKey)
    case newReminderDate(clientID: String)
    case newReminderText(clientID: String, due: Day)
    case checklistNote(clientID: String, entryID: String)
    case participants(clientID: String, outcome: FollowUpOutcome)
    case documentParagraph(index: Int, insert: Bool)
    case saveDocument
    case importFile
    /// A file for a copy of the whole caseload, when the store cannot be saved and the user quits.
    /// A copy of the caseload while saves fail; `unsaved` are whose changes it must hold.
    case saveCopy(unsaved: [String])
    /// The reason a decision is not carried out (for the IVO report), asked for when it is missing.
    case delayReason(clientID: String, decisionID: String)
}

public struct Prompt: Equatable, Sendable {
    public var purpose: PromptPurpose
    public var editor: LineEditor
    public var error: String?
    /// The question when it depends on the item (answer, note or date).
    public var label: String?

    public init(purpose: PromptPurpose, editor: LineEditor, error: String? = nil, label: String? = nil) {
        self.purpose = purpose
        self.editor = editor
        self.error = error
        self.label = label
    }

    public var question: String {
        switch purpose {
        case .markDoneOn: return label ?? "Klar datum (\(DateInput.hint)):"
        case .moveTo: return "Flytta till (\(DateInput.hint)):"
        case .newReminderDate: return label ?? "Ny bevakning, datum (\(DateInput.hint)):"
        case .newReminderText: return label ?? "Ny bevakning, text:"
        case .checklistNote: return label ?? "Anteckning:"
        case .participants: return "Deltagare (komma mellan):"
        case .documentParagraph(_, let insert): return insert ? "Nytt stycke:" : "Stycke:"
        case .saveDocument: return "Spara som fil:"
        case .importFile: return "Importera listan (.xlsx, .ods, .csv):"
        case .saveCopy: return "Spara en kopia av ärendelistan som:"
        case .delayReason: return label ?? "Skäl till dröjsmålet:"
        }
    }
}

/// Identifies a due item across recomputations.
public struct ItemKey: Hashable, Sendable {
    public var clientID: String
    public var kind: DueKind
    public var decisionID: String?
    public var ruleDue: Day?
    public var reminderID: String?

    public init(_ item: DueItem) {
        clientID = item.clientID
        kind = item.kind
        decisionID = item.decisionID
        ruleDue = item.ruleDue
        reminderID = item.reminderID
    }

    public func matches(_ item: DueItem) -> Bool {
        if let reminderID { return item.reminderID == reminderID && item.clientID == clientID }
        return item.clientID == clientID && item.kind == kind && item.decisionID == decisionID
            && item.ruleDue == ruleDue && item.reminderID == nil
    }
}

public enum SaveState: Equatable, Sendable {
    case clean
    case pending
    case saved(at: String)
    case failed(String)
}

/// The whole terminal app as a value. `reduce` changes it; `render` draws it.
public struct AppState {
    public var caseload: Caseload {
        didSet { recompute(changedFrom: oldValue) }
    }
    public var routines: RoutineSet
    public var today: Day
    public var width: Int
    public var height: Int
    public var screen: Screen
    /// The tab screen the case view returns to.
    public var returnScreen: Screen = .overview
    public var openClientID: String?
    /// The purposes the unit manager gave for opening protected people's cases this session.
    public var openPurposes: [String: String] = [:]
    public var selection: [Screen: Int] = [:]
    public var scroll: [Screen: Int] = [:]
    public var filter = LineEditor()
    /// The filter was opened again with `/`: the next letter starts a new one.
    public var filterFresh = false
    /// What is open over the screen, innermost last: help, the message log, the import preview,
    /// the filter, a prompt, a choice, the editor, the import's progress (see `Overlay`).
    public internal(set) var overlays: [Overlay] = []
    /// Each list screen's own state (its unit's, kept here so that the state stays one value).
    public var overviewView = OverviewView()
    public var remindersView = RemindersView()
    public var caseloadView = CaseloadView()
    public var yearPlanView: YearPlanView
    /// The last 50 messages of the status line, oldest first (`L` shows them).
    public var messageLog: [String] = []
    /// Screen-reader mode: words instead of glyphs, the terminal's cursor on the selected row.
    public var screenReader = false
    /// Who last changed a person elsewhere (shared store), by name: the form's question names them.
    public var changedBy: [String: String] = [:]
    /// The folder the last import was read from (the import prompt starts there).
    public var importFolder = "~/"
    public var message: String?
    public var messageIsError = false
    public var saveState: SaveState = .clean
    /// Each change with what it did, for `u` (undo) and Ctrl-R (redo).
    public var undoStack: [UndoEntry] = []
    public var redoStack: [UndoEntry] = []
    public var demo: Bool
    public var storePath: String
    public var quitting = false
    /// The checklist items per profile (built-in plus the user's file).
    public var checklists: ChecklistSet = .standard {
        didSet { derivedChanged() }
    }
    /// What the document screen shows.
    public var document: DocumentKind?
    /// Signs the underlag letter (BEVAKA_HANDLAGGARE).
    public var senderName: String?
    /// The form being filled in.
    public var form: FormState?
    /// Ärenden lists archived people too.
    /// The unit on the shared store: who the user is, covers, whose each case is (nil on a file).
    public var unit: UnitContext? {
        didSet { if unit != oldValue { derivedChanged() } }
    }
    /// Lists show only this handläggare's cases (nil: all the user sees); `v` switches.
    public var scopeOwner: String? {
        didSet { if scopeOwner != oldValue { derivedChanged() } }
    }

    /// Derived from the caseload: every client's items in the lists' order (`listOrder`), and an
    /// index from client id to position. The order is made when something first asks for it: the
    /// manager's app opens in Enheten, which counts from `itemsByClient` and needs no order (0.1 s
    /// of CPU at 100,000 people); every other first screen has it made with the rules (`recompute`).
    public var items: [DueItem] {
        if let made = order.items { return made }
        let made = AppState.listOrder(caseload.clients.map { itemsByClient[$0.id] ?? [] }, ids: caseload.clients.map(\.id))
        order.items = made
        return made
    }
    /// `items` once made. Copies of the state share it until one of them changes what it depends
    /// on (the rules' items, the clients), which then gets a box of its own (`recompute`).
    private var order = ItemOrder()
    /// Whether `items` is made already (tests: the manager's app leaves it until asked).
    var itemsMade: Bool { order.items != nil }
    public private(set) var itemsByClient: [String: [DueItem]] = [:]
    public private(set) var clientIndex: [String: Int] = [:]
    /// Changes with every change the derived lists depend on.
    public private(set) var version = 0
    /// The derived lists, memoised. Copies of the state share it until one of them changes what
    /// the lists depend on; that copy gets a cache of its own (`derivedChanged`), so one copy's
    /// lists are never served to another — with no counter shared across copies.
    private(set) var cache = DerivedCache()

    /// What the derived lists depend on changed: a new version, and a cache of this copy's own.
    mutating func derivedChanged() {
        version &+= 1
        cache = DerivedCache()
    }

    /// `unit`: the shared store's context, known before the lists are made (set afterwards, it
    /// would make them again). The unit manager starts in Enheten, the view of the unit's load
    /// that is the manager's work; everyone else in Översikt.
    public init(caseload: Caseload, routines: RoutineSet = .standard, today: Day, width: Int = 80, height: Int = 24,
                demo: Bool = false, storePath: String = "", firstStart: Bool = false, unit: UnitContext? = nil) {
        self.caseload = caseload
        self.routines = routines
        self.today = today
        self.width = width
        self.height = height
        self.demo = demo
        self.storePath = storePath
        self.unit = unit
        self.screen = firstStart ? .welcome : unit?.kind == .chef ? .unit : .overview
        if screen == .unit { returnScreen = .unit }
        self.yearPlanView = YearPlanView(year: today.year, selectedMonth: today.month)
        recompute()
        // Entering Översikt sets its selection again (`show`); made here only when it is shown first.
        if screen == .overview { selection[.overview] = firstOverviewItemLine }
        // Hembesöksläge survives a restart: open straight into that person's follow-up.
        if let visiting = caseload.clients.first(where: \.homeVisit) {
            openClientID = visiting.id
            screen = .checklist
            message = "Hembesöksläget fortsätter där du slutade."
        }
    }

    /// All rules for all clients, spread over the cores (each client is independent). The lists
    /// are made without the rules' reasons: only the case screen shows them, for one person
    /// (`itemsWithReasons(for:)`). Writing every reason was a fifth of the rules' time, and each
    /// reason's string made every copy of an item between the lists a reference count.
    mutating func recompute() {
        let clients = caseload.clients
        let routines = self.routines
        let today = self.today
        let results = Parallel.chunks(clients.count, minimum: 500) { range in
            range.map { RuleEngine.items(for: clients[$0], routines: routines, today: today, reasons: false) }
        }.flatMap { $0 }
        // The indexes by id on one core while the lists' order is made on the other (a unit's
        // tens of thousands; a caseload of hundreds is quicker on one).
        let ids = clients.map(\.id)
        let byID = { Dictionary(zip(ids, results), uniquingKeysWith: { a, _ in a }) }
        // The lists' order now, beside the indexes, unless the first screen is Enheten (then the
        // two indexes beside each other).
        guard screen != .unit else {
            let (items, positions) = Parallel.both(together: ids.count >= 2_000, byID, { AppState.positions(of: ids) })
            itemsByClient = items
            rebuildDerived(order: nil, index: positions)
            return
        }
        let (indexes, order) = Parallel.both(together: ids.count >= 2_000, {
            (byID(), AppState.positions(of: ids))
        }, { AppState.listOrder(results, ids: ids) })
        itemsByClient = indexes.0
        rebuildDerived(order: order, index: indexes.1)
    }

    /// Recomputes the rules only for the clients that changed (a key press changes one) and
    /// puts their items in place by binary search instead of sorting everything again.
    mutating func recompute(changedFrom old: Caseload) {
        guard let positions = caseload.changedClients(from: old) else {
            recompute()
            return
        }
        let changed = positions.map { caseload.clients[$0] }
        guard !changed.isEmpty else { return }
        for client in changed {
            itemsByClient[client.id] = RuleEngine.items(for: client, routines: routines, today: today, reasons: false)
        }
        // Many changed: the order is made anew when a list first asks for it. A few, with no order
        // made yet: it stays unmade (the people keep their places, so their index stands).
        guard changed.count <= 8 else {
            rebuildDerived(order: nil)
            return
        }
        guard order.items != nil else {
            order = ItemOrder()
            derivedChanged()
            return
        }
        // The changed clients' items out (in place), then their new items merged in from the back:
        // each item of the list moves at most once, by swapping memory (no copy, no reference
        // counting), and only those after the first new one move at all. The list is taken out of
        // its box when no other copy of the state shares it, so that it changes in place; a shared
        // one is copied, as the array itself would be.
        var items: [DueItem]
        if isKnownUniquelyReferenced(&order) {
            items = order.items ?? []
            order.items = nil
        } else {
            items = order.items ?? []
        }
        defer { order = ItemOrder(items) }
        let ids = changed.map(\.id)
        items.removeAll { ids.contains($0.clientID) }
        var added = changed.flatMap { itemsByClient[$0.id] ?? [] }
        added.sort(by: AppState.ordered)
        guard !added.isEmpty else {
            derivedChanged()
            return
        }
        var read = items.count - 1
        // The new items' copies stand in the slots at the end until they are written over.
        items.append(contentsOf: added)
        items.withUnsafeMutableBufferPointer { list in
            var write = list.count - 1
            var next = added.count - 1
            while next >= 0 {
                if read >= 0 && AppState.ordered(added[next], list[read]) {
                    list.swapAt(write, read)
                    read -= 1
                } else {
                    list[write] = added[next]
                    next -= 1
                }
                write -= 1
            }
        }
        derivedChanged()
    }

    /// One person's items with the rules' reasons (the lists hold them without), in the lists'
    /// order: due date, then kind, then the rules' own order.
    public func itemsWithReasons(for client: Client) -> [DueItem] {
        let made = RuleEngine.items(for: client, routines: routines, today: today)
        let keys = made.map { ($0.due.dayNumber, $0.kind.nameRank) }
        return made.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }.map { made[$0] }
    }

    /// Due date, then client, then kind: a stable order for every list.
    static func ordered(_ a: DueItem, _ b: DueItem) -> Bool {
        if a.due != b.due { return a.due < b.due }
        if a.clientID != b.clientID { return a.clientID < b.clientID }
        return a.kind.rawValue < b.kind.rawValue
    }

    /// The lists' items in `ordered`'s order (`listOrder`) put in place, with the clients' index
    /// by id (made here unless the caller made it already).
    private mutating func rebuildDerived(order: [DueItem]?, index: [String: Int]? = nil) {
        self.order = ItemOrder(order)
        clientIndex = index ?? AppState.positions(of: caseload.clients.map(\.id))
        derivedChanged()
    }

    /// Each id's place in `ids` (the first, should one repeat): the clients' index by id.
    static func positions(of ids: [String]) -> [String: Int] {
        Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every client's items in `ordered`'s order: one integer key each (the due day, the client's
    /// rank among the ids, the kind's rank among the kinds), sorted by a stable radix sort, so
    /// that items with equal keys keep their places (client, then item) — the same list as
    /// `listOrderReference` (AppStateOrderTests compares them), without comparing anything. Each
    /// item is copied once, into its place, from the clients' own lists.
    static func listOrder(_ perClient: [[DueItem]], ids: [String]) -> [DueItem] {
        let rankOf = idRanks(ids)
        let rankBits = max(1, 64 - UInt64(max(1, ids.count)).leadingZeroBitCount)
        var firstDay = Int.max
        var lastDay = Int.min
        var count = 0
        for items in perClient {
            for item in items {
                firstDay = min(firstDay, item.due.dayNumber)
                lastDay = max(lastDay, item.due.dayNumber)
            }
            count += items.count
        }
        guard count > 0 else { return [] }
        // Day, rank and kind side by side in as few bits as they need; a span that does not fit
        // in 64 bits (or more than 2^32 items in one list) is the reference's to order.
        let dayBits = 64 - UInt64(lastDay - firstDay).leadingZeroBitCount
        let bits = dayBits + rankBits + 5
        guard bits <= 64, perClient.allSatisfy({ $0.count < 1 << 32 }) else {
            return listOrderReference(perClient, ids: ids)
        }
        var keys = [UInt64](repeating: 0, count: count)
        var places = [UInt64](repeating: 0, count: count)
        var next = 0
        for (index, items) in perClient.enumerated() {
            let clientRank = UInt64(index < rankOf.count ? rankOf[index] : 0)
            for (position, item) in items.enumerated() {
                keys[next] = (UInt64(item.due.dayNumber - firstDay) << UInt64(rankBits + 5)) | (clientRank << 5)
                    | UInt64(item.kind.nameRank)
                places[next] = (UInt64(index) << 32) | UInt64(position)
                next += 1
            }
        }
        radixSort(keys: &keys, places: &places, bits: bits)
        // The items gathered into their places on all cores (a gather from 100,000 lists waits
        // on memory more than it computes).
        return places.withUnsafeBufferPointer { places in
            Parallel.array(count, minimum: 20_000) { index in
                let place = places[index]
                return perClient[Int(place >> 32)][Int(place & 0xFFFF_FFFF)]
            }
        }
    }

    /// Sorts `keys` (and `places` with them) by the keys' lowest `bits`, stably: least
    /// significant digit first, at most twelve bits a pass (4,096 counters stay in the cache).
    static func radixSort(keys: inout [UInt64], places: inout [UInt64], bits: Int) {
        let passes = max(1, (bits + 11) / 12)
        let digit = (bits + passes - 1) / passes
        let buckets = 1 << digit
        let count = keys.count
        var otherKeys = [UInt64](repeating: 0, count: count)
        var otherPlaces = [UInt64](repeating: 0, count: count)
        var starts = [Int](repeating: 0, count: buckets)
        var shift = 0
        while shift < bits {
            let mask = UInt64(buckets - 1)
            let by = UInt64(shift)
            keys.withUnsafeBufferPointer { keys in
                places.withUnsafeBufferPointer { places in
                    otherKeys.withUnsafeMutableBufferPointer { toKeys in
                        otherPlaces.withUnsafeMutableBufferPointer { toPlaces in
                            starts.withUnsafeMutableBufferPointer { starts in
                                for bucket in 0..<buckets { starts[bucket] = 0 }
                                for key in keys { starts[Int((key >> by) & mask)] += 1 }
                                var total = 0
                                for bucket in 0..<buckets {
                                    let size = starts[bucket]
                                    starts[bucket] = total
                                    total += size
                                }
                                for index in 0..<count {
                                    let bucket = Int((keys[index] >> by) & mask)
                                    let to = starts[bucket]
                                    toKeys[to] = keys[index]
                                    toPlaces[to] = places[index]
                                    starts[bucket] = to + 1
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &otherKeys)
            swap(&places, &otherPlaces)
            shift += digit
        }
    }

    /// The reference for `listOrder`: the keys as a tuple, the items' places sorted stably.
    static func listOrderReference(_ perClient: [[DueItem]], ids: [String]) -> [DueItem] {
        // Each client's rank among the ids, found once per client (not looked up per item).
        let rankOf = idRanksReference(ids)
        // The kinds ranked by their names, as the lists compare them (`ordered`).
        let names = DueKind.allCases.map(\.rawValue).sorted()
        let kindRank = Dictionary(uniqueKeysWithValues: DueKind.allCases.map { kind in (kind, names.firstIndex(of: kind.rawValue) ?? 0) })
        var all: [DueItem] = []
        var keys: [(Int, Int, Int)] = []
        for (index, items) in perClient.enumerated() {
            let clientRank = index < rankOf.count ? rankOf[index] : 0
            for item in items {
                all.append(item)
                keys.append((item.due.dayNumber, clientRank, kindRank[item.kind] ?? 0))
            }
        }
        let order = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        return order.map { all[$0] }
    }

    /// Each id's rank among the ids in `String`'s order, equal ids sharing one. Ids of ASCII
    /// letters and digits (every id Bevaka makes) are sorted by their first eight bytes as one
    /// number, the strings compared only where those are equal; any other id, by the strings.
    static func idRanks(_ ids: [String]) -> [Int] {
        var prefixes: [UInt64] = []
        prefixes.reserveCapacity(ids.count)
        for id in ids {
            var prefix: UInt64 = 0
            var count = 0
            var plain = true
            for byte in id.utf8 {
                // For bytes 1…127, String's order is the bytes' order (a shorter prefix first).
                guard byte > 0, byte < 0x80 else { plain = false; break }
                if count < 8 { prefix |= UInt64(byte) << UInt64(56 - 8 * count) }
                count += 1
            }
            guard plain else { return idRanksReference(ids) }
            prefixes.append(prefix)
        }
        let byID = ids.indices.sorted {
            prefixes[$0] != prefixes[$1] ? prefixes[$0] < prefixes[$1] : ids[$0] != ids[$1] ? ids[$0] < ids[$1] : $0 < $1
        }
        var rankOf = [Int](repeating: 0, count: ids.count)
        var rank = -1
        for (position, index) in byID.enumerated() {
            if position == 0 { rank = 0 } else {
                let before = byID[position - 1]
                if prefixes[before] != prefixes[index] || ids[before] != ids[index] { rank += 1 }
            }
            rankOf[index] = rank
        }
        return rankOf
    }

    /// The reference for `idRanks`: the strings sorted as strings.
    static func idRanksReference(_ ids: [String]) -> [Int] {
        let byID = ids.indices.sorted { ids[$0] < ids[$1] || (ids[$0] == ids[$1] && $0 < $1) }
        var rankOf = [Int](repeating: 0, count: ids.count)
        var rank = -1
        for (position, index) in byID.enumerated() {
            if position == 0 || ids[byID[position - 1]] != ids[index] { rank += 1 }
            rankOf[index] = rank
        }
        return rankOf
    }

    public func client(_ id: String) -> Client? {
        clientIndex[id].map { caseload.clients[$0] }
    }

    public var openItems: [DueItem] { items.filter { !$0.isDone } }

    /// The open case.
    public var openClient: Client? { openClientID.flatMap(client) }

    /// Hembesöksläge: the open case's person is the only one the screen may show.
    public var homeVisitActive: Bool { openClient?.homeVisit == true && (screen == .checklist || screen == .document) }
}

/// The lists' order of items, made at most once for the copies of a state that share it.
final class ItemOrder {
    var items: [DueItem]?
    init(_ items: [DueItem]? = nil) { self.items = items }
}

/// Memoised lists derived from the state (case rows, year plan, …). Keyed by everything they
/// depend on, so a stale entry is never used; shared by copies of the state until one of them
/// changes (then that copy makes a new one). It has no lock: it is not `Sendable`, and neither is
/// `AppState`, so the compiler keeps every copy that shares it on one thread (the loop's).
public final class DerivedCache {
    private var entries: [String: (key: AnyHashable, value: Any)] = [:]

    func value<Value>(_ name: String, key: AnyHashable, compute: () -> Value) -> Value {
        if let entry = entries[name], entry.key == key, let value = entry.value as? Value { return value }
        let value = compute()
        entries[name] = (key, value)
        return value
    }
}

/// A caseload before a change and the words for the change ("Förbered uppföljning för Astrid L. markerad klar").
public struct UndoEntry: Sendable {
    public var caseload: Caseload
    public var note: String
}

/// A move past the rule's date, asked about before it is made.
public struct PendingMove: Equatable, Sendable {
    public var key: ItemKey
    public var day: Day
    public var ruleDue: Day
}

/// What an import would do, shown before it is written.
public struct ImportPreview: Equatable, Sendable {
    public var file: String
    public var caseload: Caseload
    public var lines: [String]
    public var changed: Bool
    public var rejected: Int
    /// What the import did, for the report shown after Enter.
    public var summary: String
    /// The file read, and what was assumed when it has no verkställt column (`v` switches it).
    public var path: String = ""
    public var startAssumption: CaseloadImport.StartAssumption?
    /// Rows whose name is not the personnummer's person, and whether they are read anyway (`n`).
    public var nameMismatches = 0
    public var namesAnyway = false
    /// The first line shown (it scrolls).
    public var scroll = 0
}

public struct ImportProgress: Equatable, Sendable {
    public var file: String
    public var done: Int
    public var total: Int
}
