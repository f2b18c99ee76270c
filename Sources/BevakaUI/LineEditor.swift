/// A one-line text editor (prompts, form fields, the filter): the multi-line `TextEditor` kept to
/// one line. Grapheme clusters, so backspace removes "å" whole; Ctrl-A/Home and Ctrl-E/End, Ctrl-U
/// and Ctrl-K, Ctrl-W deletes a word.
public struct LineEditor: Equatable, Sendable {
    private var editor: TextEditor

    public init(_ text: String = "") {
        editor = TextEditor(text.filter { !$0.isNewline })
    }

    public var characters: [Character] { editor.characters }
    public var cursor: Int { editor.cursor }
    public var text: String { editor.text }

    /// Returns false for keys it does not handle.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c) where c.isNewline: return false
        case .enter, .up, .down: return false
        case .ctrl("e"): return editor.handle(.end, width: Int.max)
        default: return editor.handle(key, width: Int.max)
        }
    }
}
