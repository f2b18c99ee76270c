import BevakaDomain
import Foundation

public enum Screen: Int, CaseIterable, Sendable {
    case overview, yearPlan, reminders, caseload, caseDetail, welcome

    /// The four screens Tab and 1–4 switch between.
    public static let tabs: [Screen] = [.overview, .yearPlan, .reminders, .caseload]

    public var title: String {
        switch self {
        case .overview: return "Översikt"
        case .yearPlan: return "Årshjul"
        case .reminders: return "Bevakningar"
        case .caseload: return "Ärenden"
        case .caseDetail: return "Ärende"
        case .welcome: return "Välkommen"
        }
    }
}

public enum ReminderFilter: Int, CaseIterable, Sendable {
    case overdue, upcoming, done, all

    public var label: String {
        switch self {
        case .overdue: return "försenade"
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
}

public struct Prompt: Equatable, Sendable {
    public var purpose: PromptPurpose
    public var editor: LineEditor
    public var error: String?

    public var question: String {
        switch purpose {
        case .markDoneOn: return "Klar datum (\(DateInput.hint)):"
        case .moveTo: return "Flytta till (\(DateInput.hint)):"
        case .newReminderDate: return "Ny bevakning, datum (\(DateInput.hint)):"
        case .newReminderText: return "Ny bevakning, text:"
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
public struct AppState: Sendable {
    public var caseload: Caseload {
        didSet { recompute() }
    }
    public var routines: RoutineSet
    public var today: Day
    public var width: Int
    public var height: Int
    public var screen: Screen
    /// The tab screen the case view returns to.
    public var returnScreen: Screen = .overview
    public var openClientID: String?
    public var selection: [Screen: Int] = [:]
    public var scroll: [Screen: Int] = [:]
    public var filter = LineEditor()
    public var filterEditing = false
    public var reminderFilter: ReminderFilter = .overdue
    public var kindFilter: DueKind?
    public var caseSort: CaseSort = .nextDue
    public var year: Int
    public var selectedMonth: Int
    public var monthOpen = false
    public var helpVisible = false
    public var prompt: Prompt?
    public var message: String?
    public var messageIsError = false
    public var saveState: SaveState = .clean
    public var undoStack: [Caseload] = []
    public var demo: Bool
    public var storePath: String
    public var quitting = false

    /// Derived from the caseload: every client's items, and an index from client id to position.
    public private(set) var items: [DueItem] = []
    public private(set) var clientIndex: [String: Int] = [:]

    public init(caseload: Caseload, routines: RoutineSet = .standard, today: Day, width: Int = 80, height: Int = 24,
                demo: Bool = false, storePath: String = "", firstStart: Bool = false) {
        self.caseload = caseload
        self.routines = routines
        self.today = today
        self.width = width
        self.height = height
        self.demo = demo
        self.storePath = storePath
        self.screen = firstStart ? .welcome : .overview
        self.year = today.year
        self.selectedMonth = today.month
        recompute()
    }

    mutating func recompute() {
        items = RuleEngine.items(for: caseload, routines: routines, today: today)
        items.sort { ($0.due, $0.clientID) < ($1.due, $1.clientID) }
        clientIndex = Dictionary(caseload.clients.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func client(_ id: String) -> Client? {
        clientIndex[id].map { caseload.clients[$0] }
    }

    public var openItems: [DueItem] { items.filter { !$0.isDone } }
}
