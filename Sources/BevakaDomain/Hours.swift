/// Hours per month (beviljad and utförd tid): the one place that says what a valid number of
/// hours is, how text becomes one, and how one is shown. The form, the CSV import and the store
/// all check through here, so a value the form would refuse can never reach the rules from a file.
public enum Hours {
    /// A month has at most 31 × 24 = 744 hours; nothing granted or performed per month can be more.
    public static let maximum: Double = 744

    /// nil when `value` may be stored, else the Swedish reason it may not.
    public static func problem(_ value: Double) -> String? {
        guard value.isFinite else { return "är inget tal" }
        guard value >= 0 else { return "timmar kan inte vara under noll" }
        guard value <= maximum else {
            return "fler timmar än en månad har (högst \(Int(maximum))); skriv timmar per månad"
        }
        return nil
    }

    /// Parses `30`, `12,5`, `7.25`, `12 tim`, `12 h`; nil when empty. Rounded to hundredths,
    /// so the rules never divide by a number too small to show.
    public static func parse(_ raw: String) -> Result<Double?, FieldInput.Problem> {
        var text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in ["timmar", "tim", "h"] where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        if text.isEmpty { return .success(nil) }
        let normalised = text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
        // Digits only: "1e17", "inf" and "nan" are no way to write hours.
        guard normalised.count <= 12,
              normalised.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil,
              let value = Double(normalised) else {
            return .failure(FieldInput.Problem(
                "\"\(TerminalText.sanitize(raw))\" är inget antal timmar; skriv t.ex. 12,5 (högst \(Int(maximum)))."))
        }
        if let problem = problem(value) {
            return .failure(FieldInput.Problem(problem.prefix(1).uppercased() + problem.dropFirst() + "."))
        }
        return .success((value * 100).rounded() / 100)
    }

    /// A value for a message, also one that `format` cannot show.
    public static func describe(_ value: Double) -> String {
        let shown = format(value)
        return shown == "?" ? "\(value)" : shown
    }

    /// Hours as a form and a spreadsheet show them: decimal comma, up to `decimals` decimals
    /// (1 or 2), no trailing zeros. Never traps: a value outside what can be stored (only a
    /// damaged caseload built in code could hold one) is shown as "?".
    public static func format(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "?" }
        let scale = decimals <= 1 ? 10.0 : 100.0
        let units = Int((abs(value) * scale).rounded())
        let whole = units / Int(scale)
        let rest = units % Int(scale)
        var text = (value < 0 && units != 0 ? "-" : "") + "\(whole)"
        if rest != 0 {
            var fraction = scale == 10 ? "\(rest)" : (rest < 10 ? "0\(rest)" : "\(rest)")
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "," + fraction
        }
        return text
    }
}

import Foundation
