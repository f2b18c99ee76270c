import BevakaDomain

/// Everything the app asks of a screen, answered in the screen's own file (issue 36, item 1):
/// which keys apply, how long its list is and how many rows of it show, whose row is selected,
/// what Enter opens, how it is drawn, how the selection is said to a screen reader, and whether
/// it shows a person's full record (what the access log records). `Screen.unit` is the one
/// registration; nothing else switches on the screen.
protocol ScreenUnit {
    /// Its name in the title line ("Översikt").
    static var title: String { get }
    /// The key table's context of the screen.
    static var context: KeyContext { get }
    /// The key table's context for the screen as it stands.
    static func keyContext(_ state: AppState) -> KeyContext
    /// How many rows its list has.
    static func listCount(_ state: AppState) -> Int
    /// How many rows of its list show at once (the content height less its headers).
    static func listRows(_ state: AppState) -> Int
    /// The bevakning on the selected row, if the list is of bevakningar.
    static func selectedItem(_ state: AppState) -> DueItem?
    /// The person of the selected row, or of the open case.
    static func currentClientID(_ state: AppState) -> String?
    /// Enter on the selected row.
    static func enter(_ state: inout AppState)
    static func draw(_ state: AppState, into buffer: inout CellBuffer)
    /// The selected row in words, for a screen reader.
    static func spoken(_ state: AppState) -> String?
    /// What the access log records while this screen shows the open person's full record
    /// ("ärende", "uppföljning" …); nil when it shows none.
    static func viewed(_ state: AppState) -> String?
    /// Whether a key's requirement (`Binding.when`) holds here; nil: the screen does not decide it.
    static func meets(_ requirement: Binding.Requirement, _ state: AppState) -> Bool?
}

extension ScreenUnit {
    static func keyContext(_ state: AppState) -> KeyContext { context }
    static func listRows(_ state: AppState) -> Int { state.contentHeight }
    static func selectedItem(_ state: AppState) -> DueItem? { nil }
    static func currentClientID(_ state: AppState) -> String? { selectedItem(state)?.clientID }
    static func enter(_ state: inout AppState) {}
    static func spoken(_ state: AppState) -> String? { nil }
    static func viewed(_ state: AppState) -> String? { nil }
    static func meets(_ requirement: Binding.Requirement, _ state: AppState) -> Bool? { nil }
}

extension Screen {
    /// The one registration of the screens.
    var unit: any ScreenUnit.Type {
        switch self {
        case .overview: OverviewScreen.self
        case .yearPlan: YearPlanScreen.self
        case .reminders: RemindersScreen.self
        case .caseload: CaseloadScreen.self
        case .caseDetail: CaseScreen.self
        case .welcome: WelcomeScreen.self
        case .checklist: ChecklistScreen.self
        case .document: DocumentScreen.self
        case .form: FormScreen.self
        case .unit: UnitScreen.self
        }
    }
}
