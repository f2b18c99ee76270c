/// Dates as a handläggare types them: `2026-12-01`, `20261201`, `idag`, `imorgon`, and relative
/// `+3d`, `+2v`, `+1m`, `-3d` (d = dagar, v = veckor, m = månader; month arithmetic clamps).
public enum DateInput {
    public static let hint = "ÅÅÅÅ-MM-DD, ÅÅÅÅMMDD, idag, +3d, +2v eller +1m"

    public static func parse(_ raw: String, today: Day) -> Day? {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        switch text {
        case "idag", "i dag": return today
        case "imorgon", "i morgon": return today.adding(days: 1)
        default: break
        }
        if let day = Day(iso: text) { return day }
        guard let sign = text.first, sign == "+" || sign == "-", let unit = text.last,
              let amount = Int(text.dropFirst().dropLast()), amount >= 0, amount <= 3650 else { return nil }
        let n = sign == "-" ? -amount : amount
        switch unit {
        case "d": return today.adding(days: n)
        case "v", "w": return today.adding(days: 7 * n)
        case "m": return today.adding(months: n)
        default: return nil
        }
    }
}

import Foundation
