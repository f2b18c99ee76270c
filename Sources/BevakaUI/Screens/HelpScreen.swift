import BevakaDomain

/// One line of the help screen: a heading, or a key with (a line of) its description.
public struct HelpLine: Equatable, Sendable {
    public var key: String
    public var text: String
    public var isHeading: Bool
}

extension AppState {
    /// Lines the help and the message log show at once (below their title, above the status line).
    var helpRows: Int { max(1, height - 5) }

    /// The width of the key column of the help.
    var helpKeyWidth: Int { width >= 100 ? 18 : 16 }

    /// What the help lists: the keys that work here (everything when nothing is open), each
    /// description wrapped to the window and kept with its key, each heading with its keys.
    public var helpLines: [HelpLine] {
        let here = keyContext
        let contexts: [KeyContext]
        if screen == .form {
            contexts = [.form]  // a form takes every key itself
        } else if homeVisitActive {
            contexts = [.global, here]
        } else {
            // The screen's own keys first, then the global ones, then the other screens'.
            contexts = [here, .global] + KeyContext.allCases.filter { $0 != here && $0 != .global }
        }
        var entries: [(String, String, Bool)] = []
        for context in contexts where context != .unit || tabs.contains(.unit) {
            let bindings = KeyMap.bindings.filter { binding in
                binding.contexts.contains(context) && offered(binding) && (!homeVisitActive || binding.homeVisit)
                    && !(context == .global && KeyMap.command(for: binding.keys[0], in: here) != binding.command)
            }
            guard !bindings.isEmpty else { continue }
            entries.append((context.title, "", true))
            for binding in bindings {
                entries.append((binding.keys.map(\.label).joined(separator: " "), binding.help, false))
            }
        }
        entries.append(("Inmatning", "", true))
        if screen == .form {
            entries.append(("Enter", "Nästa fält; på sista fältet: spara", false))
            entries.append(("Esc", "Stäng (frågar först om något ändrats)", false))
            entries.append(("skriv / Enter", "Öppna en vallista och sök i den", false))
        } else {
            entries.append(("Enter / Esc", "Spara / avbryt", false))
        }
        entries.append(("← → Home End", "Flytta markören", false))
        entries.append(("Ctrl-W", "Radera ordet före markören", false))
        entries.append(("Backsteg Delete", "Radera", false))
        let keyWidth = helpKeyWidth
        let textWidth = max(10, width - keyWidth - 4)
        var lines: [HelpLine] = []
        for (key, text, heading) in entries {
            if heading {
                if !lines.isEmpty { lines.append(HelpLine(key: "", text: "", isHeading: false)) }
                lines.append(HelpLine(key: key, text: "", isHeading: true))
                continue
            }
            // A key wider than its column gets a line of its own, the description under it.
            var keyText = key
            if TerminalText.width(key) > keyWidth - 1 {
                lines.append(HelpLine(key: key, text: "", isHeading: false))
                keyText = ""
            }
            for (index, part) in wrap(text, width: textWidth).enumerated() {
                lines.append(HelpLine(key: index == 0 ? keyText : "", text: part, isHeading: false))
            }
        }
        return lines
    }

    /// The message log's lines, oldest first, each message wrapped to the window.
    var messageLogLines: [String] {
        messageLog.flatMap { message in
            wrap(message, width: max(10, width - 4)).enumerated().map { $0.offset == 0 ? "• " + $0.element : "  " + $0.element }
        }
    }
}

func drawHelp(_ state: AppState, scroll: Int, into buffer: inout CellBuffer) {
    let lines = state.helpLines
    let rows = state.helpRows
    let top = min(scroll, max(0, lines.count - rows))
    let shown = top..<min(lines.count, top + rows)
    let position = lines.count > rows ? "rad \(shown.lowerBound + 1)–\(shown.upperBound) av \(lines.count)" : ""
    buffer.put("Hjälp – ? Esc q stänger", x: 1, y: 1, role: .header)
    if !position.isEmpty {
        buffer.put(position, x: state.width - TerminalText.width(position) - 1, y: 1, role: .muted)
    }
    for (offset, index) in shown.enumerated() {
        let line = lines[index]
        let y = 3 + offset
        if line.isHeading {
            buffer.put(line.key, x: 1, y: y, role: .header, maxWidth: state.width - 2)
        } else {
            buffer.put(line.key, x: 2, y: y, role: .helpKey, maxWidth: state.width - 3)
            buffer.put(line.text, x: 2 + state.helpKeyWidth, y: y, role: .normal, maxWidth: state.width - state.helpKeyWidth - 3)
        }
    }
}

func drawMessageLog(_ state: AppState, scroll: Int, into buffer: inout CellBuffer) {
    let lines = state.messageLogLines
    let rows = state.helpRows
    let top = min(scroll, max(0, lines.count - rows))
    let shown = top..<min(lines.count, top + rows)
    buffer.put("Meddelanden (de senaste \(state.messageLog.count), äldst först) – L Esc stänger", x: 1, y: 1, role: .header,
               maxWidth: state.width - 2)
    if lines.isEmpty {
        buffer.put("Inga meddelanden ännu.", x: 2, y: 3, role: .muted)
    }
    for (offset, index) in shown.enumerated() {
        buffer.put(lines[index], x: 2, y: 3 + offset, role: .normal, maxWidth: state.width - 3)
    }
}
