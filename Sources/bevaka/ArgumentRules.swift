import ArgumentParser
import BevakaDomain
import Foundation

/// A rule about the command line itself — a value's form or range, options that exclude each
/// other — checked in a command's `validate()` before anything is read or written, and said in
/// Swedish as it is.
///
/// Values are taken as text and converted here, so that the library never has to say in English
/// that a number or a choice was wrong. ArgumentParser hands an error of this type thrown from
/// `validate()` back through `message(for:)` unchanged, with exit status 1 (its own parse errors
/// have 64); `Bevaka.failure(for:)` tells the two apart that way and exits 64 for both
/// (`ArgumentMessageTests` pins every message, so a library that changed this would be caught).
struct ArgumentRule: Error, CustomStringConvertible, LocalizedError {
    var message: String
    var description: String { message }
    var errorDescription: String? { message }

    /// Plain decimal digits (an optional minus), at most nine of them; nil for anything else.
    static func wholeNumber(_ text: String) -> Int? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard (1...9).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }

    /// A whole number within `range`, or the rule broken: `what` names it in a sentence
    /// ("ett antal dagar"), `option` is the flag.
    static func number(_ text: String, option: String, in range: ClosedRange<Int>, what: String) throws(ArgumentRule) -> Int {
        guard let number = wholeNumber(text), range.contains(number) else {
            throw ArgumentRule(message: "\(option) ska vara \(what) mellan \(range.lowerBound) och \(range.upperBound)"
                               + (wholeNumber(text) == nil ? " (\"\(TerminalText.sanitize(text))\" är inget heltal)." : "."))
        }
        return number
    }

    /// A year option (`--year`): 1900–2200.
    static func year(_ text: String?, option: String = "--year") throws(ArgumentRule) -> Int? {
        guard let text else { return nil }
        guard let year = wholeNumber(text), years.contains(year) else {
            throw ArgumentRule(message: "Året \"\(TerminalText.sanitize(text))\" (\(option)) går inte att använda; "
                               + "skriv ett år mellan \(years.lowerBound) och \(years.upperBound).")
        }
        return year
    }

    static let years = 1900...2200

    /// One of a fixed set of words (`--format text`), or the rule naming them all.
    static func choice<Choice>(_ text: String, option: String) throws(ArgumentRule) -> Choice
    where Choice: RawRepresentable & CaseIterable, Choice.RawValue == String {
        if let choice = Choice(rawValue: text) { return choice }
        throw ArgumentRule(message: "\(option) \"\(TerminalText.sanitize(text))\" finns inte; välj "
                           + Swedish.list(Choice.allCases.map(\.rawValue)) + ".")
    }

    /// Options that cannot be given together.
    static func either(_ first: (name: String, given: Bool), _ second: (name: String, given: Bool)) throws(ArgumentRule) {
        if first.given && second.given {
            throw ArgumentRule(message: "Ange bara en av \(first.name) och \(second.name).")
        }
    }
}

enum Swedish {
    /// "a", "a eller b", "a, b eller c".
    static func list(_ words: [String], last: String = "eller") -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " \(last) " + (words.last ?? "")
    }
}

extension Bevaka {
    /// What the program says and its exit status when it stops on `error`: a command's own
    /// Swedish message; a rule of `validate()`; ArgumentParser's parse error in Swedish; or
    /// help and version text on stdout.
    struct Failure: Equatable {
        var stdout = ""
        var stderr = ""
        var status: Int32
    }

    /// Whatever a message quotes (a file's line, a typed value), a personnummer in it is masked,
    /// and no control sequence from a typed path or a file reaches the terminal.
    static func safe(_ text: String) -> String {
        TerminalText.maskPersonalNumbers(TerminalText.sanitizeKeepingLines(text)) + "\n"
    }

    /// A command stopped while it ran: its own message; anything else (no command should throw
    /// one) in general words, never a library's English or a value it may quote.
    static func failure(whileRunning error: Error) -> Failure {
        if let error = error as? UserFacingError { return Failure(stderr: safe(error.message), status: error.exitCode) }
        if let error = error as? ArgumentRule { return Failure(stderr: safe(error.message), status: ExitCode.validationFailure.rawValue) }
        if let error = error as? ExitCode { return Failure(status: error.rawValue) }
        // `--help` parses to ArgumentParser's help command, whose run() ends this way.
        if exitCode(for: error) == .success { return Failure(stdout: fullMessage(for: error) + "\n", status: 0) }
        return Failure(stderr: "Kommandot avbröts av ett oväntat fel (\(String(describing: type(of: error)))). Ingenting mer gjordes.\n",
                       status: ExitCode.failure.rawValue)
    }

    /// The command line could not be parsed, broke a rule of a command's validate(), or asked for help.
    static func failure(for error: Error) -> Failure {
        if let error = error as? ExitCode { return Failure(status: error.rawValue) }
        let code = exitCode(for: error)
        if code == .success {
            // --help and --version.
            return Failure(stdout: fullMessage(for: error) + "\n", status: 0)
        }
        if code == .failure {
            // An `ArgumentRule` from a command's validate(), or a command's own error.
            return Failure(stderr: safe(message(for: error) + " Se \"bevaka --help\"."), status: ExitCode.validationFailure.rawValue)
        }
        return Failure(stderr: safe("Felaktigt kommando: \(ArgumentErrors.swedish(message(for: error))) Se \"bevaka --help\"."),
                       status: code.rawValue)
    }
}

/// ArgumentParser's own parse errors — what no `validate()` can see: a flag that does not exist,
/// an option without its value, a word too many, an argument missing — said in Swedish. Each
/// pattern is one of the library's messages (`ArgumentMessageTests` has each); anything else
/// becomes a general sentence, never English.
enum ArgumentErrors {
    static func swedish(_ english: String) -> String {
        let text = english.trimmingCharacters(in: .whitespacesAndNewlines)
        func quoted(_ index: Int) -> String {
            let parts = text.split(separator: "'", omittingEmptySubsequences: false)
            let wanted = 1 + index * 2
            guard parts.count > wanted else { return "" }
            // "--days <days>" → "--days"; "<FILE>" stays.
            let raw = String(parts[wanted])
            if raw.hasPrefix("-"), let space = raw.firstIndex(of: " ") { return String(raw[..<space]) }
            return TerminalText.sanitize(raw)
        }
        if text.hasPrefix("Missing value for '") {
            let name = quoted(0)
            return "\(name) saknar ett värde. Ett värde som börjar med - läses som en flagga; menar du det, skriv \(name)=VÄRDE."
        }
        if text.hasPrefix("Unknown option '") { return "Flaggan \(quoted(0)) finns inte." }
        if text.hasPrefix("Unexpected argument '") { return "\"\(quoted(0))\" är inget kommando eller argument som passar här." }
        if text.hasPrefix("Unexpected arguments") { return "För många argument." }
        if text.hasPrefix("Missing expected argument '") { return "Argumentet \(quoted(0)) saknas." }
        // A flag given a value (`--week=1`).
        if text.hasPrefix("The option '"), text.contains("does not take") { return "Flaggan \(quoted(0)) tar inget värde." }
        return "Kommandot kunde inte tolkas."
    }
}
