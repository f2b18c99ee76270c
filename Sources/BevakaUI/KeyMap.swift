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

    public static func of(_ screen: Screen) -> KeyContext {
        switch screen {
        case .overview, .welcome: return .overview
        case .yearPlan: return .yearPlan
        case .reminders: return .reminders
        case .caseload: return .caseload
        case .caseDetail: return .caseDetail
        case .checklist: return .checklist
        case .document: return .document
        case .form: return .form
        case .unit: return .unit
        }
    }
}

public struct Binding: Sendable {
    public var keys: [Key]
    public var command: Command
    public var help: String
    public var contexts: [KeyContext]
    /// Shown in the one-line footer of its screens.
    public var footer: String?
}

public enum KeyMap {
    public static let bindings: [Binding] = [
        Binding(keys: [.up, .character("k")], command: .up, help: "Upp", contexts: [.global]),
        Binding(keys: [.down, .character("j")], command: .down, help: "Ner", contexts: [.global]),
        Binding(keys: [.pageUp], command: .pageUp, help: "En sida upp", contexts: [.global]),
        Binding(keys: [.pageDown], command: .pageDown, help: "En sida ner", contexts: [.global]),
        Binding(keys: [.home, .character("g")], command: .home, help: "Först", contexts: [.global]),
        Binding(keys: [.end, .character("G")], command: .end, help: "Sist", contexts: [.global]),
        Binding(keys: [.enter], command: .open, help: "Öppna ärendet; på en rubrik: visa hela listan",
                contexts: [.overview], footer: "Enter öppna"),
        Binding(keys: [.enter], command: .open, help: "Öppna ärendet", contexts: [.section, .reminders, .caseload],
                footer: "Enter öppna"),
        Binding(keys: [.enter], command: .open, help: "Visa månadens uppföljningar", contexts: [.yearPlan],
                footer: "Enter månad"),
        Binding(keys: [.escape], command: .back, help: "Tillbaka", contexts: [.global], footer: "Esc tillbaka"),
        Binding(keys: [.tab], command: .nextScreen, help: "Nästa vy", contexts: [.global]),
        Binding(keys: [.backTab], command: .previousScreen, help: "Föregående vy", contexts: [.global]),
        Binding(keys: [.character("1")], command: .showOverview, help: "Översikt", contexts: [.global]),
        Binding(keys: [.character("2")], command: .showYearPlan, help: "Årshjul", contexts: [.global]),
        Binding(keys: [.character("3")], command: .showReminders, help: "Bevakningar", contexts: [.global]),
        Binding(keys: [.character("4")], command: .showCaseload, help: "Ärenden", contexts: [.global]),
        Binding(keys: [.character("5")], command: .showUnit, help: "Enheten per handläggare (enhetschef, delad lista)",
                contexts: [.global]),
        Binding(keys: [.enter], command: .open, help: "Visa handläggarens ärenden", contexts: [.unit], footer: "Enter ärenden"),
        Binding(keys: [.character("K")], command: .book, help: "Boka besöket: datum, tid, plats, inbjudna",
                contexts: [.caseDetail, .checklist]),
        Binding(keys: [.character("R")], command: .reassign, help: "Handläggarbyte: flytta ärendet (enhetschef)",
                contexts: [.caseload, .caseDetail]),
        Binding(keys: [.character("/")], command: .filter, help: "Sök på namn, personnr, insats, utförare",
                contexts: [.global], footer: "/ sök"),
        Binding(keys: [.character("?"), .f1], command: .help, help: "Hjälp", contexts: [.global], footer: "? hjälp"),
        Binding(keys: [.character("q"), .ctrl("c")], command: .quit, help: "Avsluta (allt är redan sparat)",
                contexts: [.global], footer: "q avsluta"),
        Binding(keys: [.character("u")], command: .undo, help: "Ångra senaste ändringen", contexts: [.global]),
        Binding(keys: [.ctrl("r")], command: .redo, help: "Gör om det som ångrades", contexts: [.global]),
        Binding(keys: [.character("L")], command: .messageLog, help: "Meddelandeloggen: de senaste 50 meddelandena",
                contexts: [.global]),
        Binding(keys: [.character("d")], command: .markDone, help: "Markera klar idag (igen: ångra klar)",
                contexts: [.overview, .section, .reminders], footer: "d klar"),
        Binding(keys: [.character("r")], command: .markIVOSent,
                help: "På Rapportera till IVO: markera kvartalets rapport som skickad (som rapport ivo --markera-skickad)",
                contexts: [.overview, .section, .reminders]),
        Binding(keys: [.character("D")], command: .markDoneOn, help: "Markera klar ett visst datum",
                contexts: [.section, .reminders]),
        Binding(keys: [.character("m")], command: .moveDate, help: "Flytta till ett annat datum",
                contexts: [.section, .reminders], footer: "m flytta"),
        Binding(keys: [.character("m")], command: .moveDate, help: "Flytta vald uppföljning till ett annat datum",
                contexts: [.yearPlan]),
        Binding(keys: [.character("p")], command: .cyclePriority, help: "Byt prioritet (hög, normal, låg)",
                contexts: [.section, .reminders]),
        Binding(keys: [.character("f")], command: .cycleReminderFilter,
                help: "Visa försenade, denna vecka, kommande, klara eller alla", contexts: [.reminders], footer: "f urval"),
        Binding(keys: [.character("t")], command: .cycleKindFilter, help: "Visa en typ av bevakning i taget",
                contexts: [.reminders]),
        Binding(keys: [.character("v")], command: .cycleScope,
                help: "Delad ärendelista: växla mellan alla, mina och täckta ärenden (chef: per handläggare)",
                contexts: [.overview, .section, .yearPlan, .reminders, .caseload]),
        Binding(keys: [.character("s")], command: .toggleSort, help: "Sortera på namn eller nästa datum",
                contexts: [.caseload], footer: "s sortera"),
        Binding(keys: [.left, .character("h")], command: .previousYear, help: "Föregående år", contexts: [.yearPlan],
                footer: "←/→ år"),
        Binding(keys: [.right, .character("l")], command: .nextYear, help: "Nästa år", contexts: [.yearPlan]),
        Binding(keys: [.character(" ")], command: .toggleDone, help: "Klar / inte klar", contexts: [.checklist],
                footer: "Mellanslag klar"),
        Binding(keys: [.character("-")], command: .notApplicable, help: "Ej aktuellt (igen: ångra)",
                contexts: [.checklist], footer: "- ej aktuellt"),
        Binding(keys: [.enter], command: .editNote, help: "Skriv svar, anteckning eller datum", contexts: [.checklist],
                footer: "Enter skriv"),
        Binding(keys: [.tab], command: .nextPhase, help: "Nästa fas (Förberedelse, Besök, Efter)",
                contexts: [.checklist], footer: "Tab fas"),
        Binding(keys: [.backTab], command: .previousPhase, help: "Föregående fas", contexts: [.checklist]),
        Binding(keys: [.character("S")], command: .finishFollowUp,
                help: "Slutför: registrera uppföljningen och sätt nästa bevakning", contexts: [.checklist],
                footer: "S slutför"),
        Binding(keys: [.character("e")], command: .editClient, help: "Ändra personens uppgifter", contexts: [.caseDetail],
                footer: "e ändra"),
        Binding(keys: [.character("b")], command: .newDecision, help: "Nytt beslut", contexts: [.caseDetail],
                footer: "b beslut"),
        Binding(keys: [.character("F")], command: .startFollowUp, help: "Starta uppföljning (eller fortsätt den påbörjade)",
                contexts: [.overview, .section, .reminders, .caseload, .caseDetail], footer: "F följ upp"),
        Binding(keys: [.character("H")], command: .homeVisit,
                help: "Hembesöksläge: visa bara den här personens uppföljning", contexts: [.caseDetail, .checklist],
                footer: "H hembesök"),
        Binding(keys: [.ctrl("x")], command: .leaveHomeVisit, help: "Lämna hembesöksläget: Ctrl-X och sedan H",
                contexts: [.checklist, .document]),
        Binding(keys: [.character("J")], command: .showJournal, help: "Journalutkast (läsa, ändra, kopiera, spara)",
                contexts: [.caseDetail, .checklist, .document]),
        Binding(keys: [.character("U")], command: .showUnderlag, help: "Underlag: brev till utföraren före uppföljningen",
                contexts: [.caseDetail, .checklist, .document], footer: "U underlag"),
        Binding(keys: [.character("a")], command: .newClient, help: "Lägg till en person", contexts: [.caseload],
                footer: "a ny person"),
        Binding(keys: [.character("i")], command: .importCSV,
                help: "Importera listan (.xlsx, .ods eller CSV); avvisade rader visas efteråt", contexts: [.caseload]),
        Binding(keys: [.character("A")], command: .toggleArchived, help: "Visa eller dölj arkiverade personer",
                contexts: [.caseload]),
        Binding(keys: [.character("B")], command: .editDecision, help: "Ändra ett beslut (utförare, samtycke, datum med mera)",
                contexts: [.caseDetail]),
        Binding(keys: [.character("p")], command: .editPlan, help: "Genomförandeplanens datum", contexts: [.caseDetail]),
        Binding(keys: [.character("t")], command: .performedTime, help: "Utförd tid för en månad", contexts: [.caseDetail]),
        Binding(keys: [.character("x")], command: .closeDecision, help: "Avsluta ett beslut", contexts: [.caseDetail]),
        Binding(keys: [.character("E")], command: .offer, help: "Registrera ett erbjudande (accepterat eller avböjt) för ett beslut",
                contexts: [.caseDetail]),
        Binding(keys: [.character("I")], command: .interruption,
                help: "Avbrott i verkställigheten: registrera ett, eller när det återupptogs", contexts: [.caseDetail]),
        Binding(keys: [.character("A")], command: .archiveClient, help: "Arkivera personen (eller återställ)",
                contexts: [.caseDetail]),
        Binding(keys: [.tab, .down], command: .nextField, help: "Nästa fält (fältet kontrolleras)", contexts: [.form],
                footer: "Tab nästa"),
        Binding(keys: [.backTab, .up], command: .previousField, help: "Föregående fält", contexts: [.form]),
        Binding(keys: [.ctrl("s")], command: .saveForm, help: "Spara formuläret (Enter på sista fältet sparar också)",
                contexts: [.form], footer: "Ctrl-S spara"),
        Binding(keys: [.character("X")], command: .discardFollowUp, help: "Kasta den påbörjade uppföljningen",
                contexts: [.checklist]),
        Binding(keys: [.enter], command: .editParagraph, help: "Ändra stycket", contexts: [.document],
                footer: "Enter ändra"),
        Binding(keys: [.character("o")], command: .newParagraph, help: "Nytt stycke efter det valda",
                contexts: [.document]),
        Binding(keys: [.character("c")], command: .copyDocument, help: "Kopiera till urklipp (OSC 52, fungerar över SSH)",
                contexts: [.document], footer: "c kopiera"),
        Binding(keys: [.character("w")], command: .saveDocument, help: "Spara som fil (bara du kan läsa den)",
                contexts: [.document], footer: "w spara fil"),
        Binding(keys: [.character("r")], command: .regenerateJournal, help: "Skriv om utkastet från checklistan",
                contexts: [.document]),
        Binding(keys: [.character("<")], command: .monthEarlier, help: "Flytta vald uppföljning en månad tidigare",
                contexts: [.yearPlan], footer: "</> flytta"),
        Binding(keys: [.character(">")], command: .monthLater, help: "Flytta vald uppföljning en månad senare",
                contexts: [.yearPlan]),
        Binding(keys: [.character("n")], command: .newReminder, help: "Ny egen bevakning för personen",
                contexts: [.section, .reminders, .caseload, .caseDetail], footer: "n ny bevakning"),
    ]

    /// The command a key gives on a screen: the screen's own binding first, then the global one.
    public static func command(for key: Key, on screen: Screen) -> Command? {
        command(for: key, in: KeyContext.of(screen))
    }

    /// The command a key gives in a context: the context's own binding first, then the global one.
    public static func command(for key: Key, in context: KeyContext) -> Command? {
        if let binding = bindings.first(where: { $0.contexts.contains(context) && $0.keys.contains(key) }) {
            return binding.command
        }
        return bindings.first { $0.contexts.contains(.global) && $0.keys.contains(key) }?.command
    }

    /// The footer hint for a screen: its own keys, then the global ones that matter.
    public static func footer(for screen: Screen) -> [(key: String, text: String)] {
        footer(in: KeyContext.of(screen))
    }

    public static func footer(in context: KeyContext) -> [(key: String, text: String)] {
        let own = bindings.filter { $0.contexts.contains(context) && $0.footer != nil }
        let global = bindings.filter { $0.contexts.contains(.global) && $0.footer != nil }
        // Help first, so it is there at every width.
        let ordered = global.filter { $0.command == .help } + own + global.filter { $0.command != .help }
        return ordered.compactMap { binding in
            guard let footer = binding.footer, let space = footer.firstIndex(of: " ") else { return nil }
            return (String(footer[..<space]), String(footer[footer.index(after: space)...]))
        }
    }
}

extension AppState {
    /// The footer's keys for what is on the screen now: only keys that act (a heading on the
    /// Översikt opens its list; a finished follow-up has nothing to tick; a report cannot be edited).
    public var activeFooter: [(key: String, text: String)] {
        var hints = KeyMap.footer(in: keyContext)
        func drop(_ keys: Set<String>) { hints.removeAll { keys.contains($0.key) } }
        switch screen {
        case .overview where overviewSection == nil:
            switch selectedOverviewLine {
            case .header?:
                drop(["d", "F"])
                if let index = hints.firstIndex(where: { $0.key == "Enter" }) { hints[index].text = "hela listan" }
            case .booking?: drop(["d"])
            case .item?: break
            case nil: drop(["Enter", "d", "F"])
            }
        case .overview, .reminders:
            if selectedItem == nil { drop(["Enter", "d", "m", "F"]) }
        case .caseload:
            if caseRows.isEmpty { drop(["Enter", "F", "n"]) }
        case .checklist:
            if openClient?.draft == nil { drop(["Mellanslag", "-", "Enter", "Tab", "S"]) }
        case .document:
            if case .importReport = document {
                drop(["Enter", "U"])
            } else if !documentEditable {
                drop(["Enter"])
            }
        default: break
        }
        // The manager's planning view is read-only: no key that changes a case is offered.
        if readOnly { drop(["e", "b", "F", "a", "n", "d", "m", "K", "H", "i", "r", "Mellanslag", "-"]) }
        return hints
    }
}
