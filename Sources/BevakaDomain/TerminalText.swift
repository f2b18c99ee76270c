import Foundation

/// Text bound for a terminal: stripped of control characters and measured in columns.
public enum TerminalText {
    /// Removes C0/C1 control characters (ESC, BEL, CSI …) and invisible format characters that
    /// could move the cursor, change the terminal, reorder text or hide letters: bidi controls
    /// and marks (LRM, RLM, ALM, embeddings, isolates), zero-width characters (U+200B–U+200F,
    /// U+2060–U+2064, U+FEFF) and the soft hyphen. Tabs and newlines become spaces. Regional
    /// indicator letters (flags) become plain capital letters: terminals disagree on a flag's
    /// width, and a name is no place for one.
    public static func sanitize(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where isControl(scalar) || isRegionalIndicator(scalar) {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                result.append(" ")
            } else if isRegionalIndicator(scalar) {
                result.append(Unicode.Scalar(UInt8(65 + scalar.value - 0x1F1E6)))
            } else if !isControl(scalar) {
                result.append(scalar)
            }
        }
        return String(result)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x00AD || v == 0x061C || (0x200B...0x200F).contains(v) || (0x2060...0x2064).contains(v)
            || v == 0xFEFF
    }

    static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }

    /// Display columns of one scalar: 0 for combining marks and zero-width characters,
    /// 2 for East Asian wide and emoji ranges, otherwise 1.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return v < 0x20 || (0x7F..<0xA0).contains(v) ? 0 : 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0xFE00...0xFE0F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Display columns of a grapheme cluster: its widest scalar (a base letter with combining
    /// marks is one column; an emoji with a variation selector is two).
    public static func width(of character: Character) -> Int {
        var widest = 0
        for scalar in character.unicodeScalars { widest = max(widest, width(of: scalar)) }
        return widest
    }

    public static func width(_ text: String) -> Int {
        simpleWidth(text) ?? graphemeWidth(text)
    }

    /// The fast path of `width`: text of printable scalars below U+0300 (ASCII and Latin-1,
    /// å ä ö é …) has one column per scalar, and each such scalar is a grapheme of its own, so no
    /// grapheme breaking is needed; the scalars are counted from the UTF-8 bytes. nil for anything
    /// else (combining marks, wide or control characters), which takes the grapheme path, the
    /// reference (`graphemeWidth`).
    public static func simpleWidth(_ text: String) -> Int? {
        func count<Bytes: Sequence<UInt8>>(_ utf8: Bytes) -> Int? {
            var count = 0
            var bytes = utf8.makeIterator()
            while let byte = bytes.next() {
                if byte >= 0x20 && byte < 0x7F {
                    count += 1
                } else if byte >= 0xC2 && byte <= 0xCB {
                    // U+0080–U+02FF; U+0080–U+009F (C2 80–9F) are control characters.
                    guard let next = bytes.next(), byte != 0xC2 || next >= 0xA0 else { return nil }
                    count += 1
                } else {
                    return nil
                }
            }
            return count
        }
        return text.utf8.withContiguousStorageIfAvailable { count($0) } ?? count(text.utf8)
    }

    /// Display columns summed grapheme by grapheme: the reference the fast path must equal.
    public static func graphemeWidth(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// Cuts `text` to at most `columns` display columns, ending in "…" when cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if width(text) <= columns { return text }
        var result = ""
        var used = 0
        for character in text {
            let w = width(of: character)
            if used + w > columns - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// Truncates or pads with spaces to exactly `columns` display columns.
    public static func pad(_ text: String, to columns: Int) -> String {
        let cut = truncate(text, to: columns)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }

    /// Right-aligns in exactly `columns` columns.
    public static func padLeft(_ text: String, to columns: Int) -> String {
        let cut = truncate(text, to: columns)
        return String(repeating: " ", count: max(0, columns - width(cut))) + cut
    }
}

/// Personnummer in messages. A message may quote what a file or a person typed (a CSV cell in
/// the wrong column, a damaged line); whatever it quotes, the last four digits of anything that
/// looks like a personnummer or samordningsnummer are masked, as in lists.
extension TerminalText {
    /// `19400102-2393`, `194001022393`, `400102-2393`, `400102+2393` and `4001022393` become
    /// `…-****` (the birth date stays, as in lists). Longer digit runs (an account number, a
    /// timestamp) are left as they are: only a run of exactly 10 or 12 digits with an optional
    /// separator before the last four is taken for a personnummer.
    public static func maskPersonalNumbers(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 10 else { return text }
        func isDigit(_ index: Int) -> Bool {
            index >= 0 && index < scalars.count && (48...57).contains(scalars[index].value)
        }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard isDigit(index), !isDigit(index - 1) else {
                output.append(scalars[index])
                index += 1
                continue
            }
            // A run of digits, perhaps with one - or + before its last four.
            var end = index
            while isDigit(end) { end += 1 }
            let digitsBefore = end - index
            var separator: Unicode.Scalar?
            var tailStart = end
            if digitsBefore == 6 || digitsBefore == 8, end < scalars.count,
               scalars[end] == "-" || scalars[end] == "+", isDigit(end + 1) {
                var tailEnd = end + 1
                while isDigit(tailEnd) { tailEnd += 1 }
                if tailEnd - end - 1 == 4 {
                    separator = scalars[end]
                    tailStart = end + 1
                    end = tailEnd
                }
            }
            if separator == nil, digitsBefore == 10 || digitsBefore == 12 {
                tailStart = end - 4
            } else if separator == nil {
                output.append(contentsOf: scalars[index..<end])
                index = end
                continue
            }
            let head = separator == nil ? scalars[index..<tailStart] : scalars[index..<(tailStart - 1)]
            output.append(contentsOf: head)
            output.append(separator ?? "-")
            output.append(contentsOf: "****".unicodeScalars)
            index = end
        }
        return String(output)
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)` (spaces of every kind and tabs at either end)
    /// without the trip through NSString: the import trims every cell of a list, and Foundation's
    /// took 40 % of reading 30,000 rows. Tested against Foundation's (`TrimmingTests`).
    public func trimmingSpaces() -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            // ASCII here; beyond it Foundation's own set decides (it differs between platforms).
            scalar == "\t" || scalar == " " || (scalar.value >= 0x80 && CharacterSet.whitespaces.contains(scalar))
        }
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !isSpace(first) && !isSpace(last) { return self }
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}
