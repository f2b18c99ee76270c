/// Everything a key can ask for. One table (`KeyMap.bindings`) maps keys to commands per context
/// and also builds the help screen, so the two cannot disagree.
public enum Command: String, CaseIterable, Sendable {
    case up, down, pageUp, pageDown, home, end
    case open, back, nextScreen, previousScreen
    case showOverview, showYearPlan, showReminders, showCaseload, showUnit, reassign, book
    case filter, help, quit, undo
    case markDone, markDoneOn, moveDate, cyclePriority, newReminder
    case cycleReminderFilter, cycleKindFilter, toggleSort, cycleScope
    case previousYear, nextYear, monthEarlier, monthLater
    case startFollowUp, homeVisit, leaveHomeVisit, showJournal, showUnderlag
    case toggleDone, notApplicable, editNote, nextPhase, previousPhase, finishFollowUp, discardFollowUp
    case editParagraph, newParagraph, copyDocument, saveDocument, regenerateJournal
    case newClient, editClient, newDecision, editDecision, editPlan, performedTime, closeDecision, archiveClient
    case toggleArchived, nextField, previousField, saveForm, importCSV
    case redo, messageLog, offer, interruption, markIVOSent
}

/// Where a binding applies. `global` applies on every screen.
public enum KeyContext: String, CaseIterable, Sendable {
    case global, overview, section, yearPlan, reminders, caseload, caseDetail, checklist, document, form, unit

    public var title: String {
        switch self {
        case .global: return "Överallt"
        case .overview: return "Översikt"
        case .section: return "Översikt, hel lista"
        case .yearPlan: return "Årshjul"
        case .reminders: return "Bevakningar"
        case .caseload: return "Ärenden"
        case .caseDetail: return "Ärende"
        case .checklist: return "Uppföljning"
        case .document: return "Journal och underlag"
        case .form: return "Formulär"
        case .unit: return "Enheten (enhetschef)"
        }
    }

    public static func of(_ screen: Screen) -> KeyContext { screen.unit.context }
}

/// One line of the key table: the keys, what they do, and everything about where they may be
/// used — the screens, hembesöksläge, the unit manager's read-only view, which users are offered
/// it at all and what must be on the screen for it to act. Nothing else decides that
/// (issue 36, item 4): the key handler, the help and the footer all read it here.
public struct Binding: Sendable {
    public var keys: [Key]
    public var command: Command
    public var help: String
    public var contexts: [KeyContext]
    /// Shown in the one-line footer of its screens.
    public var footer: String?
    /// Available in hembesöksläge, which keeps to the visited person's follow-up.
    public var homeVisit: Bool
    /// Changes a case: refused in the unit manager's read-only planning view.
    public var changes: Bool
    /// Who is offered it at all (help and footer leave it out for the others).
    public var offered: Offer
    /// What must be on the screen for it to act (the footer shows it only then).
    public var when: Requirement

    public enum Offer: Sendable {
        case everyone
        /// On the shared store only (`v`).
        case sharedStore
        /// Only to those who see the unit view (`5`, `R`: the unit manager).
        case unitView
    }

    public enum Requirement: Sendable, Equatable {
        case always
        /// A line that opens something is selected.
        case aLine
        /// A bevakning is selected (not a heading or a booking).
        case anItem
        /// A person is selected (a bevakning, a booking or a case).
        case aPerson
        /// A follow-up is in progress on the case.
        case aDraft
        /// The document shown can be edited.
        case editableText
        /// The document shown is not the import's report.
        case notAReport
        /// There is somewhere to go back to (hembesöksläge keeps to the checklist).
        case away
    }

    public init(keys: [Key], command: Command, help: String, contexts: [KeyContext], footer: String? = nil,
                homeVisit: Bool = false, changes: Bool = false, offered: Offer = .everyone, when: Requirement = .always) {
        self.keys = keys
        self.command = command
        self.help = help
        self.contexts = contexts
        self.footer = footer
        self.homeVisit = homeVisit
        self.changes = changes
        self.offered = offered
        self.when = when
    }
}

public enum KeyMap {
    public static let bindings: [Binding] = [
        Binding(keys: [.up, .character("k")], command: .up, help: "Upp", contexts: [.global], homeVisit: true),
        Binding(keys: [.down, .character("j")], command: .down, help: "Ner", contexts: [.global], homeVisit: true),
        Binding(keys: [.pageUp], command: .pageUp, help: "En sida upp", contexts: [.global], homeVisit: true),
        Binding(keys: [.pageDown], command: .pageDown, help: "En sida ner", contexts: [.global], homeVisit: true),
        Binding(keys: [.home, .character("g")], command: .home, help: "Först", contexts: [.global], homeVisit: true),
        Binding(keys: [.end, .character("G")], command: .end, help: "Sist", contexts: [.global], homeVisit: true),
        Binding(keys: [.enter], command: .open, help: "Öppna ärendet; på en rubrik: visa hela listan",
                contexts: [.overview], footer: "Enter öppna", when: .aLine),
        Binding(keys: [.enter], command: .open, help: "Öppna ärendet", contexts: [.section, .reminders, .caseload],
                footer: "Enter öppna", when: .aLine),
        Binding(keys: [.enter], command: .open, help: "Visa månadens uppföljningar", contexts: [.yearPlan],
                footer: "Enter månad", when: .aLine),
        Binding(keys: [.escape], command: .back, help: "Tillbaka", contexts: [.global], footer: "Esc tillbaka", homeVisit: true,
                when: .away),
        Binding(keys: [.tab], command: .nextScreen, help: "Nästa vy", contexts: [.global]),
        Binding(keys: [.backTab], command: .previousScreen, help: "Föregående vy", contexts: [.global]),
        Binding(keys: [.character("1")], command: .showOverview, help: "Översikt", contexts: [.global]),
        Binding(keys: [.character("2")], command: .showYearPlan, help: "Årshjul", contexts: [.global]),
        Binding(keys: [.character("3")], command: .showReminders, help: "Bevakningar", contexts: [.global]),
        Binding(keys: [.character("4")], command: .showCaseload, help: "Ärenden", contexts: [.global]),
        Binding(keys: [.character("5")], command: .showUnit, help: "Enheten per handläggare (enhetschef, delad lista)",
                contexts: [.global], offered: .unitView),
        Binding(keys: [.enter], command: .open, help: "Visa handläggarens ärenden", contexts: [.unit], footer: "Enter ärenden", when: .aLine),
        Binding(keys: [.character("K")], command: .book, help: "Boka besöket: datum, tid, plats, inbjudna",
                contexts: [.caseDetail, .checklist], changes: true),
        Binding(keys: [.character("R")], command: .reassign, help: "Handläggarbyte: flytta ärendet (enhetschef)",
                contexts: [.caseload, .caseDetail], offered: .unitView),
        Binding(keys: [.character("/")], command: .filter, help: "Sök på namn, personnr, insats, utförare",
                contexts: [.global], footer: "/ sök"),
        Binding(keys: [.character("?"), .f1], command: .help, help: "Hjälp", contexts: [.global], footer: "? hjälp", homeVisit: true),
        Binding(keys: [.character("q"), .ctrl("c")], command: .quit, help: "Avsluta (allt är redan sparat)",
                contexts: [.global], footer: "q avsluta"),
        Binding(keys: [.character("u")], command: .undo, help: "Ångra senaste ändringen", contexts: [.global], homeVisit: true, changes: true),
        Binding(keys: [.ctrl("r")], command: .redo, help: "Gör om det som ångrades", contexts: [.global], changes: true),
        Binding(keys: [.character("L")], command: .messageLog, help: "Meddelandeloggen: de senaste 50 meddelandena",
                contexts: [.global]),
        Binding(keys: [.character("d")], command: .markDone, help: "Markera klar idag (igen: ångra klar)",
                contexts: [.overview, .section, .reminders], footer: "d klar", changes: true, when: .anItem),
        Binding(keys: [.character("r")], command: .markIVOSent,
                help: "På Rapportera till IVO: markera kvartalets rapport som skickad (som rapport ivo --markera-skickad)",
                contexts: [.overview, .section, .reminders], changes: true),
        Binding(keys: [.character("D")], command: .markDoneOn, help: "Markera klar ett visst datum",
                contexts: [.section, .reminders], changes: true),
        Binding(keys: [.character("m")], command: .moveDate, help: "Flytta till ett annat datum",
                contexts: [.section, .reminders], footer: "m flytta", changes: true, when: .anItem),
        Binding(keys: [.character("m")], command: .moveDate, help: "Flytta vald uppföljning till ett annat datum",
                contexts: [.yearPlan], changes: true, when: .anItem),
        Binding(keys: [.character("p")], command: .cyclePriority, help: "Byt prioritet (hög, normal, låg)",
                contexts: [.section, .reminders], changes: true),
        Binding(keys: [.character("f")], command: .cycleReminderFilter,
                help: "Visa försenade, denna vecka, kommande, klara eller alla", contexts: [.reminders], footer: "f urval"),
        Binding(keys: [.character("t")], command: .cycleKindFilter, help: "Visa en typ av bevakning i taget",
                contexts: [.reminders]),
        Binding(keys: [.character("v")], command: .cycleScope,
                help: "Delad ärendelista: växla mellan alla, mina och täckta ärenden (chef: per handläggare)",
                contexts: [.overview, .section, .yearPlan, .reminders, .caseload], offered: .sharedStore),
        Binding(keys: [.character("s")], command: .toggleSort, help: "Sortera på namn eller nästa datum",
                contexts: [.caseload], footer: "s sortera"),
        Binding(keys: [.left, .character("h")], command: .previousYear, help: "Föregående år", contexts: [.yearPlan],
                footer: "←/→ år"),
        Binding(keys: [.right, .character("l")], command: .nextYear, help: "Nästa år", contexts: [.yearPlan]),
        Binding(keys: [.character(" ")], command: .toggleDone, help: "Klar / inte klar", contexts: [.checklist],
                footer: "Mellanslag klar", homeVisit: true, changes: true, when: .aDraft),
        Binding(keys: [.character("-")], command: .notApplicable, help: "Ej aktuellt (igen: ångra)",
                contexts: [.checklist], footer: "- ej aktuellt", homeVisit: true, changes: true, when: .aDraft),
        Binding(keys: [.enter], command: .editNote, help: "Skriv svar, anteckning eller datum", contexts: [.checklist],
                footer: "Enter skriv", homeVisit: true, changes: true, when: .aDraft),
        Binding(keys: [.tab], command: .nextPhase, help: "Nästa fas (Förberedelse, Besök, Efter)",
                contexts: [.checklist], footer: "Tab fas", homeVisit: true, when: .aDraft),
        Binding(keys: [.backTab], command: .previousPhase, help: "Föregående fas", contexts: [.checklist], homeVisit: true),
        Binding(keys: [.character("S")], command: .finishFollowUp,
                help: "Slutför: registrera uppföljningen och sätt nästa bevakning", contexts: [.checklist],
                footer: "S slutför", homeVisit: true, changes: true, when: .aDraft),
        Binding(keys: [.character("e")], command: .editClient, help: "Ändra personens uppgifter", contexts: [.caseDetail],
                footer: "e ändra", changes: true),
        Binding(keys: [.character("b")], command: .newDecision, help: "Nytt beslut", contexts: [.caseDetail],
                footer: "b beslut", changes: true),
        Binding(keys: [.character("F")], command: .startFollowUp, help: "Starta uppföljning (eller fortsätt den påbörjade)",
                contexts: [.overview, .section, .reminders, .caseload, .caseDetail], footer: "F följ upp", homeVisit: true, changes: true, when: .aPerson),
        Binding(keys: [.character("H")], command: .homeVisit,
                help: "Hembesöksläge: visa bara den här personens uppföljning", contexts: [.caseDetail, .checklist],
                footer: "H hembesök", changes: true),
        Binding(keys: [.ctrl("x")], command: .leaveHomeVisit, help: "Lämna hembesöksläget: Ctrl-X och sedan H",
                contexts: [.checklist, .document], homeVisit: true),
        Binding(keys: [.character("J")], command: .showJournal, help: "Journalutkast (läsa, ändra, kopiera, spara)",
                contexts: [.caseDetail, .checklist, .document], homeVisit: true),
        Binding(keys: [.character("U")], command: .showUnderlag, help: "Underlag: brev till utföraren före uppföljningen",
                contexts: [.caseDetail, .checklist, .document], footer: "U underlag", homeVisit: true, when: .notAReport),
        Binding(keys: [.character("a")], command: .newClient, help: "Lägg till en person", contexts: [.caseload],
                footer: "a ny person", changes: true),
        Binding(keys: [.character("i")], command: .importCSV,
                help: "Importera listan (.xlsx, .ods eller CSV); avvisade rader visas efteråt", contexts: [.caseload], changes: true),
        Binding(keys: [.character("A")], command: .toggleArchived, help: "Visa eller dölj arkiverade personer",
                contexts: [.caseload]),
        Binding(keys: [.character("B")], command: .editDecision, help: "Ändra ett beslut (utförare, samtycke, datum med mera)",
                contexts: [.caseDetail], changes: true),
        Binding(keys: [.character("p")], command: .editPlan, help: "Genomförandeplanens datum", contexts: [.caseDetail], changes: true),
        Binding(keys: [.character("t")], command: .performedTime, help: "Utförd tid för en månad", contexts: [.caseDetail], changes: true),
        Binding(keys: [.character("x")], command: .closeDecision, help: "Avsluta ett beslut", contexts: [.caseDetail], changes: true),
        Binding(keys: [.character("E")], command: .offer, help: "Registrera ett erbjudande (accepterat eller avböjt) för ett beslut",
                contexts: [.caseDetail], changes: true),
        Binding(keys: [.character("I")], command: .interruption,
                help: "Avbrott i verkställigheten: registrera ett, eller när det återupptogs", contexts: [.caseDetail], changes: true),
        Binding(keys: [.character("A")], command: .archiveClient, help: "Arkivera personen (eller återställ)",
                contexts: [.caseDetail], changes: true),
        Binding(keys: [.tab, .down], command: .nextField, help: "Nästa fält (fältet kontrolleras)", contexts: [.form],
                footer: "Tab nästa"),
        Binding(keys: [.backTab, .up], command: .previousField, help: "Föregående fält", contexts: [.form]),
        Binding(keys: [.ctrl("s")], command: .saveForm, help: "Spara formuläret (Enter på sista fältet sparar också)",
                contexts: [.form], footer: "Ctrl-S spara", changes: true),
        Binding(keys: [.character("X")], command: .discardFollowUp, help: "Kasta den påbörjade uppföljningen",
                contexts: [.checklist], homeVisit: true, changes: true),
        Binding(keys: [.enter], command: .editParagraph, help: "Ändra stycket", contexts: [.document],
                footer: "Enter ändra", homeVisit: true, changes: true, when: .editableText),
        Binding(keys: [.character("o")], command: .newParagraph, help: "Nytt stycke efter det valda",
                contexts: [.document], homeVisit: true, changes: true),
        Binding(keys: [.character("c")], command: .copyDocument, help: "Kopiera till urklipp (OSC 52, fungerar över SSH)",
                contexts: [.document], footer: "c kopiera", homeVisit: true),
        Binding(keys: [.character("w")], command: .saveDocument, help: "Spara som fil (bara du kan läsa den)",
                contexts: [.document], footer: "w spara fil", homeVisit: true),
        Binding(keys: [.character("r")], command: .regenerateJournal, help: "Skriv om utkastet från checklistan",
                contexts: [.document], homeVisit: true, changes: true),
        Binding(keys: [.character("<")], command: .monthEarlier, help: "Flytta vald uppföljning en månad tidigare",
                contexts: [.yearPlan], footer: "</> flytta", changes: true),
        Binding(keys: [.character(">")], command: .monthLater, help: "Flytta vald uppföljning en månad senare",
                contexts: [.yearPlan], changes: true),
        Binding(keys: [.character("n")], command: .newReminder, help: "Ny egen bevakning för personen",
                contexts: [.section, .reminders, .caseload, .caseDetail], footer: "n ny bevakning", changes: true, when: .aPerson),
    ]

    /// The command a key gives on a screen: the screen's own binding first, then the global one.
    public static func command(for key: Key, on screen: Screen) -> Command? {
        command(for: key, in: KeyContext.of(screen))
    }

    /// The command a key gives in a context: the context's own binding first, then the global one.
    public static func command(for key: Key, in context: KeyContext) -> Command? {
        binding(for: key, in: context)?.command
    }

    /// The binding a key has in a context: the context's own first, then the global one.
    public static func binding(for key: Key, in context: KeyContext) -> Binding? {
        bindings.first { $0.contexts.contains(context) && $0.keys.contains(key) }
            ?? bindings.first { $0.contexts.contains(.global) && $0.keys.contains(key) }
    }


    public static func footer(in context: KeyContext) -> [Binding] {
        let own = bindings.filter { $0.contexts.contains(context) && $0.footer != nil }
        let global = bindings.filter { $0.contexts.contains(.global) && $0.footer != nil }
        // Help first, so it is there at every width.
        return global.filter { $0.command == .help } + own + global.filter { $0.command != .help }
    }
}

extension AppState {
    /// The footer's keys for what is on the screen now: only those the key table says this user
    /// is offered here and that act on what is selected.
    public var activeFooter: [(key: String, text: String)] {
        KeyMap.footer(in: keyContext).filter(offers).compactMap { binding in
            guard let footer = binding.footer, let space = footer.firstIndex(of: " ") else { return nil }
            var text = String(footer[footer.index(after: space)...])
            // Enter on a heading of the Översikt opens its whole list.
            if binding.command == .open, screen == .overview, overviewView.section == nil, case .header? = selectedOverviewLine {
                text = "hela listan"
            }
            // In hembesöksläge Esc goes back to the checklist only.
            if binding.command == .back, homeVisitActive { text = "checklistan" }
            return (String(footer[..<space]), text)
        }
    }

    /// Whether the key table's binding is for this user, here and now: offered to them, allowed
    /// in hembesöksläge and in the read-only view when those are on, and able to act on what is
    /// selected.
    func offers(_ binding: Binding) -> Bool {
        offered(binding) && (!homeVisitActive || binding.homeVisit) && !(readOnly && binding.changes) && meets(binding.when)
    }

    /// Offered to this user at all (help lists these).
    func offered(_ binding: Binding) -> Bool {
        switch binding.offered {
        case .everyone: true
        case .sharedStore: unit != nil
        case .unitView: tabs.contains(.unit)
        }
    }

    func meets(_ requirement: Binding.Requirement) -> Bool {
        requirement == .always || screen.unit.meets(requirement, self) ?? true
    }
}
