/// A key press, decoded by the backend.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case f1
    case ctrl(Character)

    /// How the help screen names the key.
    public var label: String {
        switch self {
        case .character(" "): return "Mellanslag"
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backsteg"
        case .delete: return "Delete"
        case .f1: return "F1"
        case .ctrl(let c): return "Ctrl-\(String(c).uppercased())"
        }
    }
}
