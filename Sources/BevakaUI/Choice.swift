import BevakaDomain

/// A pick-one question drawn over the screen. ↑/↓ and Enter, or the option's number; Esc cancels.
///
/// The question carries what each answer does (`Option.answer`, and `escape` for Esc): whoever
/// asks says it once, and answering is the same for every question (`AppState.answer`).
public struct Choice: Equatable, Sendable {
    public struct Option: Equatable, Sendable {
        public var label: String
        public var answer: Answer

        public init(_ label: String, _ answer: Answer) {
            self.label = label
            self.answer = answer
        }
    }

    public var title: String
    public var options: [Option]
    public var selected: Int
    /// What Esc does.
    public var escape: Answer

    public init(_ title: String, _ options: [Option], selected: Int = 0, escape: Answer = .say("Avbrutet.")) {
        self.title = title
        self.options = options
        self.escape = escape
        self.selected = min(max(0, selected), max(0, options.count - 1))
    }

    public var labels: [String] { options.map(\.label) }

    /// The answer a key picks, or nil while the key only moves (or does nothing).
    mutating func handle(_ key: Key) -> Answer? {
        switch key {
        case .escape: return escape
        case .up, .character("k"): selected = max(0, selected - 1)
        case .down, .character("j"): selected = min(options.count - 1, selected + 1)
        case .enter: return options.indices.contains(selected) ? options[selected].answer : nil
        case .character(let c):
            if let digit = c.wholeNumberValue, (1...options.count).contains(digit) { return options[digit - 1].answer }
        default: break
        }
        return nil
    }
}

func drawChoice(_ choice: Choice, state: AppState, into buffer: inout CellBuffer) {
    let labels = choice.labels.enumerated().map { "\($0.offset + 1)  \($0.element)" }
    let inner = min(state.width - 6, max(TerminalText.width(choice.title), labels.map(TerminalText.width).max() ?? 0) + 4)
    let titleLines = wrap(choice.title, width: inner - 2)
    let height = titleLines.count + labels.count + 4
    let left = max(0, (state.width - inner - 2) / 2)
    let top = max(1, (state.height - height) / 2)
    for y in top..<(top + height) { buffer.fill(row: y, from: left, to: left + inner + 2, role: .normal) }
    buffer.put("┌" + String(repeating: "─", count: inner) + "┐", x: left, y: top, role: .border)
    for y in (top + 1)..<(top + height - 1) {
        buffer.put("│", x: left, y: y, role: .border)
        buffer.put("│", x: left + inner + 1, y: y, role: .border)
    }
    buffer.put("└" + String(repeating: "─", count: inner) + "┘", x: left, y: top + height - 1, role: .border)
    for (offset, line) in titleLines.enumerated() {
        buffer.put(line, x: left + 2, y: top + 1 + offset, role: .header, maxWidth: inner - 2)
    }
    for (index, label) in labels.enumerated() {
        let y = top + 2 + titleLines.count + index
        let selected = index == choice.selected
        if selected {
            buffer.fill(row: y, from: left + 1, to: left + inner + 1, role: .selection)
            if buffer.plain { buffer.cursor = CursorPosition(x: left + 2, y: y) }
        }
        buffer.put(label, x: left + 2, y: y, role: selected ? .selection : .normal, maxWidth: inner - 2)
    }
}
