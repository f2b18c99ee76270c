import BevakaRuntime
import BevakaUI
import CNcursesw
import Foundation

/// The only code that talks to ncurses. It copies a finished cell buffer to the screen and turns
/// wget_wch results into keys; everything else happens in BevakaUI.
public struct NcursesBackend: TerminalBackend {
    private let theme: Theme
    private let monochrome: Bool
    private var pairs: [PairKey: Int16] = [:]
    private var styleCache: [Role: (pair: Int16, attributes: UInt32)] = [:]

    struct PairKey: Hashable {
        var fg: Int16
        var bg: Int16
    }

    /// Starts curses. Returns nil when the terminal cannot be used.
    /// `screenReader`: no alternate screen, and the terminal's cursor shown where the frame puts it.
    public init?(theme: Theme, noColor: Bool, screenReader: Bool = false) {
        guard bevaka_start(screenReader ? 1 : 0) == 0 else { return nil }
        self.theme = theme
        self.monochrome = noColor || bevaka_has_colors() == 0
        for role in Role.allCases { styleCache[role] = resolve(role) }
    }

    public func stop() {
        bevaka_stop()
    }

    public mutating func suspend() { bevaka_suspend() }

    public mutating func resume() { bevaka_resume() }

    public var size: (width: Int, height: Int) {
        (Int(bevaka_cols()), Int(bevaka_lines()))
    }

    public mutating func draw(_ buffer: CellBuffer) {
        bevaka_clear()
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                let style = styleCache[cell.role] ?? (0, 0)
                String(cell.character).withCString { text in
                    bevaka_put(Int32(y), Int32(x), text, style.pair, style.attributes)
                }
            }
        }
        if let cursor = buffer.cursor {
            bevaka_refresh_at(Int32(cursor.y), Int32(cursor.x))
        } else {
            bevaka_refresh()
        }
    }

    /// OSC 52: the terminal (and tmux with `set-clipboard on`, and SSH clients) puts the text on
    /// the clipboard. Written straight to the terminal between two screen updates.
    public mutating func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        // A terminal that cannot take it (closed) loses only the copy, never the program.
        try? FileHandle.standardOutput.write(contentsOf: Data(sequence.utf8))
    }

    public mutating func nextEvent(timeoutMilliseconds: Int) -> BackendEvent {
        nextEvent(timeoutMilliseconds: timeoutMilliseconds, wakeDescriptor: -1)
    }

    public mutating func nextEvent(timeoutMilliseconds: Int, wakeDescriptor: Int32) -> BackendEvent {
        var character: wint_t = 0
        let result = bevaka_get_key_or_wake(Int32(timeoutMilliseconds), wakeDescriptor, &character)
        if result == ERR { return .timeout }
        if result == KEY_CODE_YES {
            let code = Int32(character)
            if code == bevaka_key_resize() { return .resize }
            switch code {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_BTAB: return .key(.backTab)
            case KEY_ENTER: return .key(.enter)
            case KEY_F0 + 1: return .key(.f1)
            default: return .timeout
            }
        }
        switch character {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(character) + 96))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return .timeout }
            return .key(.character(Character(scalar)))
        }
    }

    public mutating func terminationRequested() -> Bool {
        bevaka_take_termination_signal() != 0
    }

    // MARK: Colours

    private mutating func resolve(_ role: Role) -> (pair: Int16, attributes: UInt32) {
        let style = theme.style(role)
        if monochrome { return (0, attributes(style.mono)) }
        let colors = Int(bevaka_colors())
        func number(_ color: ThemeColor) -> Int16 {
            guard let value = colors >= 256 ? color.index256 : color.basic else { return -1 }
            return Int16(colors >= 256 ? value : min(value, 7))
        }
        let key = PairKey(fg: number(style.fg), bg: number(style.bg))
        if key.fg == -1 && key.bg == -1 { return (0, attributes(style.attributes)) }
        let pair: Int16
        if let existing = pairs[key] {
            pair = existing
        } else {
            pair = Int16(pairs.count + 1)
            bevaka_init_pair(pair, key.fg, key.bg)
            pairs[key] = pair
        }
        return (pair, attributes(style.attributes))
    }

    private func attributes(_ set: TextAttributes) -> UInt32 {
        var value: UInt32 = 0
        if set.contains(.bold) { value |= bevaka_attr_bold() }
        if set.contains(.reverse) { value |= bevaka_attr_reverse() }
        if set.contains(.underline) { value |= bevaka_attr_underline() }
        if set.contains(.dim) { value |= bevaka_attr_dim() }
        return value
    }
}

/// Installs the crash and termination handlers of the C shim.
public func installSignalHandlers() {
    bevaka_install_signal_handlers()
}
