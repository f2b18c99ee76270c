/// What is open over the screen, as one stack (`AppState.overlays`, innermost last).
///
/// Key routing and drawing both read the stack: the last overlay gets the key, the last one that
/// covers the screen (help, the message log, the import preview) is drawn in the screen's place,
/// and every box above it (the editor, a choice, the import's progress) is drawn over it in order.
/// Each overlay owns what it needs, its scroll position included. The form is not an overlay:
/// it is a screen of its own (`Screen.form`), left with Esc like the case.
public enum Overlay: Sendable, Equatable {
    /// The key help, scrolled to `scroll`.
    case help(scroll: Int)
    /// The last messages of the status line (`L`).
    case messageLog(scroll: Int)
    /// An import read and checked, shown before anything is written (it has its own scroll).
    case importPreview(ImportPreview)
    /// The list filter being typed (the filter's text is the list's, `AppState.filter`).
    case filter
    /// A one-line question at the foot of the screen.
    case prompt(Prompt)
    /// A pick-one question over the screen.
    case choice(Choice)
    /// The multi-line editor (answers, notes, journal paragraphs).
    case textEditor(TextEditing)
    /// An import running in the background; it holds every key until it ends.
    case importing(ImportProgress)
    /// Ctrl-X in hembesöksläge: the next key says whether to leave it (H) or stay (any other).
    case leaveHomeVisit

    public enum Kind: Sendable, Equatable {
        case help, messageLog, importPreview, filter, prompt, choice, textEditor, importing, leaveHomeVisit
    }

    public var kind: Kind {
        switch self {
        case .help: .help
        case .messageLog: .messageLog
        case .importPreview: .importPreview
        case .filter: .filter
        case .prompt: .prompt
        case .choice: .choice
        case .textEditor: .textEditor
        case .importing: .importing
        case .leaveHomeVisit: .leaveHomeVisit
        }
    }

    /// Drawn in the screen's place rather than over it.
    public var coversScreen: Bool {
        switch kind {
        case .help, .messageLog, .importPreview: true
        default: false
        }
    }

    /// Takes typed text, so Ctrl-C is a key there and not "quit".
    var takesText: Bool {
        switch kind {
        case .prompt, .textEditor, .filter: true
        default: false
        }
    }

    /// How far a scrolling overlay is scrolled (nil for the others).
    var scroll: Int? {
        switch self {
        case .help(let scroll), .messageLog(let scroll): scroll
        case .importPreview(let preview): preview.scroll
        default: nil
        }
    }

    func scrolled(to top: Int) -> Overlay {
        switch self {
        case .help: return .help(scroll: top)
        case .messageLog: return .messageLog(scroll: top)
        case .importPreview(var preview):
            preview.scroll = top
            return .importPreview(preview)
        default: return self
        }
    }
}

extension AppState {
    /// The open overlay of this kind, if any.
    public func overlay(_ kind: Overlay.Kind) -> Overlay? {
        overlays.last { $0.kind == kind }
    }

    /// Opens `overlay` on top of whatever is open, another of its kind included.
    mutating func push(_ overlay: Overlay) {
        overlays.append(overlay)
    }

    /// Closes the top overlay.
    mutating func pop() {
        _ = overlays.popLast()
    }

    /// Closes the topmost overlay of this kind (the one its keys go to).
    mutating func dismiss(_ kind: Overlay.Kind) {
        if let index = overlays.lastIndex(where: { $0.kind == kind }) { overlays.remove(at: index) }
    }

    /// `overlay` as it now stands, in the place of the topmost of its kind (its keys changed
    /// it), or on top when none of its kind is open.
    mutating func put(_ overlay: Overlay) {
        if let index = overlays.lastIndex(where: { $0.kind == overlay.kind }) {
            overlays[index] = overlay
        } else {
            overlays.append(overlay)
        }
    }

    /// The scroll position of the top overlay that scrolls (help, the message log, the preview).
    public var overlayScroll: Int { overlays.last { $0.scroll != nil }?.scroll ?? 0 }

    mutating func scrollOverlay(to top: Int) {
        guard let index = overlays.lastIndex(where: { $0.scroll != nil }) else { return }
        overlays[index] = overlays[index].scrolled(to: top)
    }

    // What is open, as the rest of the UI reads it (changed only through the functions above).

    public var helpVisible: Bool { overlay(.help) != nil }
    public var messageLogVisible: Bool { overlay(.messageLog) != nil }
    public var filterEditing: Bool { overlay(.filter) != nil }

    public var importPreview: ImportPreview? {
        if case .importPreview(let preview)? = overlay(.importPreview) { preview } else { nil }
    }

    public var prompt: Prompt? {
        if case .prompt(let prompt)? = overlay(.prompt) { prompt } else { nil }
    }

    public var choice: Choice? {
        if case .choice(let choice)? = overlay(.choice) { choice } else { nil }
    }

    public var textEditing: TextEditing? {
        if case .textEditor(let editing)? = overlay(.textEditor) { editing } else { nil }
    }

    public var importing: ImportProgress? {
        if case .importing(let progress)? = overlay(.importing) { progress } else { nil }
    }
}
