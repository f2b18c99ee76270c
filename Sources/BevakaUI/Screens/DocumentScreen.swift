import BevakaDomain
import Foundation

/// What the document screen shows. The text itself is always derived from the case, so an edit
/// is stored where it belongs (the draft or the recorded follow-up) and never lives only on screen.
public enum DocumentKind: Equatable, Sendable {
    /// The journal drafted from the follow-up in progress.
    case draftJournal(clientID: String)
    /// The journal of a recorded follow-up.
    case journal(clientID: String, followUpID: String)
    /// The underlag request to the provider(s), seed 001.
    case underlag(clientID: String)
    /// What an import from the Ärenden screen did, with its rejected rows.
    case importReport(lines: [String])

    var clientID: String? {
        switch self {
        case .draftJournal(let id), .journal(let id, _), .underlag(let id): return id
        case .importReport: return nil
        }
    }
}

extension AppState {
    /// The document as paragraphs (one line of the journal each).
    public var documentParagraphs: [String] {
        if case .importReport(let lines) = document { return lines }
        guard let kind = document, let client = kind.clientID.flatMap(client) else { return [] }
        let text: String
        switch kind {
        case .draftJournal:
            guard let draft = client.draft else { return [] }
            let entries = ChecklistLibrary.entries(for: client, draft: draft, routines: routines, checklists: checklists)
            text = JournalDraft.current(client: client, draft: draft, entries: entries, today: today)
        case .journal(_, let followUpID):
            text = client.followUps.first { $0.id == followUpID }?.journal ?? ""
        case .underlag:
            let messages = UnderlagRequest.messages(client: client, followUpBy: underlagDate(for: client),
                                                    today: today, sender: senderName)
            if messages.isEmpty { return ["Personen har inga pågående beslut, så det finns inget underlag att begära."] }
            text = messages.map { message in
                (messages.count > 1 ? "Till: \(message.provider)\n\n" : "") + message.text
            }.joined(separator: "\n")
        case .importReport(let lines):
            return lines
        }
        var paragraphs = text.components(separatedBy: "\n")
        while paragraphs.last == "" { paragraphs.removeLast() }
        return paragraphs
    }

    /// The text to copy or save.
    public var documentText: String { documentParagraphs.joined(separator: "\n") + "\n" }

    /// The date the underlag asks for: the follow-up in progress, else the next planned one.
    func underlagDate(for client: Client) -> Day {
        if let draft = client.draft { return max(draft.date, today) }
        let planned = (itemsByClient[client.id] ?? [])
            .filter { !$0.isDone && ($0.kind == .annualFollowUp || $0.kind == .decisionEnding) && $0.due >= today }
            .map(\.due).min()
        return planned ?? WorkingDays.onOrBefore(today.adding(months: 1))
    }

    public var documentTitle: String {
        if case .importReport = document { return "Import" }
        guard let kind = document, let client = kind.clientID.flatMap(client) else { return "" }
        switch kind {
        case .draftJournal:
            return "Journalutkast – \(client.name)" + (client.draft?.journal != nil ? " (redigerat)" : " (från checklistan)")
        case .journal(_, let followUpID):
            let date = client.followUps.first { $0.id == followUpID }?.date.description ?? ""
            return "Journalanteckning – \(client.name), uppföljning \(date)"
        case .underlag:
            return "Underlag – brev till utföraren om \(client.name)"
        case .importReport:
            return "Import"
        }
    }

    var documentEditable: Bool {
        switch document {
        case .draftJournal, .journal: return true
        default: return false
        }
    }

    /// A file name without the person's name: initials, what and the date.
    var documentFileName: String {
        if case .importReport = document { return "~/import-\(today).txt" }
        guard let kind = document, let client = kind.clientID.flatMap(client) else { return "bevaka.txt" }
        let initials = client.name.split(separator: " ").compactMap(\.first).map(String.init).joined()
        switch kind {
        case .underlag: return "~/underlag-\(initials)-\(today).txt"
        case .draftJournal, .journal: return "~/journal-\(initials)-\(today).txt"
        case .importReport: return "~/import-\(today).txt"
        }
    }

    mutating func openDocument(_ kind: DocumentKind) {
        document = kind
        if let id = kind.clientID { openClientID = id }
        if screen != .document && screen != .checklist && screen != .caseDetail { returnScreen = screen }
        screen = .document
        selection[.document] = 0
        scroll[.document] = 0
    }

    mutating func showJournal() {
        guard let client = openClient else { return }
        if client.draft != nil {
            openDocument(.draftJournal(clientID: client.id))
        } else if let latest = client.followUps.filter({ $0.journal != nil }).max(by: { $0.date < $1.date }) {
            openDocument(.journal(clientID: client.id, followUpID: latest.id))
        } else {
            message = "Det finns ingen journal ännu: starta en uppföljning med F."
        }
    }

    mutating func performDocument(_ command: Command) -> [Effect] {
        let paragraphs = documentParagraphs
        switch command {
        case .up, .down, .pageUp, .pageDown, .home, .end:
            let page = max(1, contentHeight / 3)
            let delta = [Command.up: -1, .down: 1, .pageUp: -page, .pageDown: page, .home: -paragraphs.count,
                         .end: paragraphs.count][command] ?? 0
            selection[.document] = min(max(0, paragraphs.count - 1), max(0, selectedIndex + delta))
            return []
        case .editParagraph, .newParagraph:
            guard documentEditable else {
                if case .importReport = document {
                    message = "Rätta raderna i filen och importera den igen (i i Ärenden)."
                } else {
                    message = "Underlaget ändras inte här: kopiera det med c och skriv vidare i e-postprogrammet."
                }
                return []
            }
            let insert = command == .newParagraph || paragraphs.isEmpty
            let text = insert ? "" : paragraphs[min(selectedIndex, paragraphs.count - 1)]
            openTextEditor(.documentParagraph(index: selectedIndex, insert: insert),
                           title: insert ? "Nytt stycke efter det valda" : "Stycke", text: text)
            return []
        case .copyDocument:
            message = "Kopierat till urklipp (OSC 52). Annars: w sparar som fil."
            return [.copy(documentText)]
        case .saveDocument:
            put(.prompt(Prompt(purpose: .saveDocument, editor: LineEditor(documentFileName))))
            return []
        case .regenerateJournal:
            guard case .draftJournal = document else {
                message = "Bara ett utkast från en pågående uppföljning kan skrivas om."
                return []
            }
            message = "Utkastet är skrivet om från checklistan."
            return updateDraft(undoable: true) { $0.journal = nil }
        default:
            return []
        }
    }

    /// Stores an edited paragraph (empty removes it) in the draft or the recorded follow-up.
    mutating func submitParagraph(_ text: String, index: Int, insert: Bool) -> [Effect] {
        dismiss(.prompt)
        var paragraphs = documentParagraphs
        // A paragraph is a line of the text: lines written in the editor become paragraphs of their own.
        let clean = text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.sanitize(String($0)) }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if insert {
            let at = paragraphs.isEmpty ? 0 : min(paragraphs.count, index + 1)
            guard !clean.isEmpty else { return [] }
            paragraphs.insert(contentsOf: clean, at: at)
            selection[.document] = at
        } else if paragraphs.indices.contains(index) {
            paragraphs.replaceSubrange(index...index, with: clean)
        }
        let joined = paragraphs.joined(separator: "\n") + "\n"
        switch document {
        case .draftJournal:
            message = "Journalutkastet är ändrat."
            return updateDraft(undoable: true) { $0.journal = joined }
        case .journal(let clientID, let followUpID):
            guard let index = clientIndex[clientID] else { return [] }
            return mutate("Journalanteckningen är ändrad.") { caseload in
                if let f = caseload.clients[index].followUps.firstIndex(where: { $0.id == followUpID }) {
                    caseload.clients[index].followUps[f].journal = joined
                }
            }
        default:
            return []
        }
    }
}

func drawDocument(_ state: AppState, into buffer: inout CellBuffer) {
    buffer.put(state.documentTitle, x: 1, y: 1, role: .header, maxWidth: state.width - 2)
    let width = state.width - 5
    let paragraphs = state.documentParagraphs
    var lines: [(text: String, paragraph: Int)] = []
    for (index, paragraph) in paragraphs.enumerated() {
        // An indented paragraph (an answer under its question) keeps its indent on every line.
        let indent = String(paragraph.prefix(while: { $0 == " " }).prefix(8))
        for line in wrap(String(paragraph.dropFirst(indent.count)), width: width - indent.count) {
            lines.append((indent + line, index))
        }
    }
    let rows = state.contentHeight - 2
    let selected = min(state.selectedIndex, max(0, paragraphs.count - 1))
    // Keep the selected paragraph's first line on screen.
    let first = lines.firstIndex { $0.paragraph == selected } ?? 0
    let last = lines.lastIndex { $0.paragraph == selected } ?? 0
    var top = min(state.scroll[.document] ?? 0, first)
    if last >= top + rows { top = min(first, last - rows + 1) }
    top = max(0, min(top, max(0, lines.count - rows)))
    for (offset, line) in lines.dropFirst(top).prefix(rows).enumerated() {
        let y = 3 + offset
        if line.paragraph == selected { buffer.put("▌", x: 1, y: y, role: .highlight) }
        buffer.put(line.text, x: 3, y: y, role: .normal)
    }
    if lines.count > rows {
        let text = "rad \(top + 1)–\(min(lines.count, top + rows)) av \(lines.count)"
        buffer.put(text, x: state.width - TerminalText.width(text) - 1, y: 2, role: .muted)
    }
}

/// Journal and underlag of the open case (or the import's report) — a full record.
enum DocumentScreen: ScreenUnit {
    static let title = "Text"
    static let context = KeyContext.document

    static func listCount(_ state: AppState) -> Int { state.documentParagraphs.count }

    static func currentClientID(_ state: AppState) -> String? { state.openClientID }

    static func draw(_ state: AppState, into buffer: inout CellBuffer) { drawDocument(state, into: &buffer) }

    static func spoken(_ state: AppState) -> String? {
        let count = state.documentParagraphs.count
        return count == 0 ? nil : "stycke \(min(state.selectedIndex, count - 1) + 1) av \(count)"
    }

    static func viewed(_ state: AppState) -> String? {
        if case .underlag? = state.document { return "underlag" }
        return "journal"
    }

    static func meets(_ requirement: Binding.Requirement, _ state: AppState) -> Bool? {
        switch requirement {
        case .editableText: return state.documentEditable
        case .notAReport:
            if case .importReport = state.document { return false }
            return true
        default: return nil
        }
    }
}
