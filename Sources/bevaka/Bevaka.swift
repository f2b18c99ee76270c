import ArgumentParser
import BevakaDomain
import Foundation

@main
struct Bevaka: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bevaka",
        abstract: "Bevaka: uppföljning av beslut inom äldreomsorg och LSS.",
        discussion: "Utan underkommando öppnas terminalprogrammet.",
        version: "bevaka \(bevakaVersion)",
        subcommands: [AgendaCommand.self, YearPlanCommand.self, ImportCommand.self, ExportCommand.self,
                      ReportCommand.self, DemoCommand.self, GallraCommand.self, DbCommand.self])

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Färgtema: default, light, high-contrast, mono eller en sökväg till en JSON-fil.",
                               valueName: "NAME|PATH"))
    var theme: String?

    @Flag(name: .customLong("skarmlasare"),
          help: "Skärmläsarläge: ord i stället för symboler, markören på vald rad, ingen alternativ skärm (även BEVAKA_SKARMLASARE=1).")
    var screenReader = false

    func run() throws {
        try TerminalApp.run(options: global, themeName: theme, screenReader: screenReader)
    }

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `bevaka help NAME` for a command that does not exist fails (ArgumentParser shows the root's help).
        if arguments.first == "help", arguments.count > 1, let unknown = unknownCommand(arguments.dropFirst()) {
            let names = configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
            FileHandle.standardError.write(Data("Det finns inget kommando som heter \"\(TerminalText.sanitize(unknown))\". Kommandona är: \(names).\n".utf8))
            Foundation.exit(64)
        }
        // `bevaka --version` alone: what ArgumentParser prints for it, without building the
        // commands first (FastArgumentsTests compares the two).
        if arguments == ["--version"] {
            print(configuration.version)
            return
        }
        do {
            // The plainest `bevaka agenda …` starts without ArgumentParser's reflection.
            if let fast = AgendaCommand.fastArguments(arguments) {
                try AgendaCommand.run(fast)
                return
            }
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UserFacingError {
            // Whatever a message quotes (a file's line, a typed value), a personnummer in it is masked.
            // And no control sequence from a typed path or a file reaches the terminal.
            FileHandle.standardError.write(Data((TerminalText.maskPersonalNumbers(TerminalText.sanitizeKeepingLines(error.message))
                                                 + "\n").utf8))
            Foundation.exit(error.exitCode)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version.
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let detail = TerminalText.maskPersonalNumbers(ArgumentErrors.swedish(message(for: error)))
            FileHandle.standardError.write(Data("Felaktigt kommando: \(detail) Se \"bevaka --help\".\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }

    /// The first name in `help A B …` that is not a command (or a subcommand of the one before).
    static func unknownCommand(_ names: ArraySlice<String>) -> String? {
        var current: [ParsableCommand.Type] = configuration.subcommands
        for name in names where !name.hasPrefix("-") {
            guard let found = current.first(where: { $0._commandName == name }) else { return name }
            current = found.configuration.subcommands
        }
        return nil
    }
}

/// This version of Bevaka (`bevaka --version`).
let bevakaVersion = "0.13.0"

/// ArgumentParser says what was wrong in English; the user gets it in Swedish. Each pattern is one
/// of the library's messages; anything not known becomes a general sentence, never English.
enum ArgumentErrors {
    static func swedish(_ english: String) -> String {
        let text = english.trimmingCharacters(in: .whitespacesAndNewlines)
        func quoted(_ index: Int) -> String? {
            let parts = text.split(separator: "'", omittingEmptySubsequences: false)
            let wanted = 1 + index * 2
            return parts.count > wanted ? String(parts[wanted]) : nil
        }
        func option(_ raw: String?) -> String {
            // "--days <days>" → "--days"; "<FILE>" stays.
            guard let raw else { return "" }
            if raw.hasPrefix("-"), let space = raw.firstIndex(of: " ") { return String(raw[..<space]) }
            return raw
        }
        if text.hasPrefix("The value '") {
            var sentence = "Värdet \"\(quoted(0) ?? "")\" går inte att använda för \(option(quoted(1)))."
            if text.contains("Please provide one of") {
                let choices = text.components(separatedBy: "Please provide one of").last ?? ""
                let names = choices.split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
                if !names.isEmpty { sentence += " Välj " + names.joined(separator: " eller ") + "." }
            } else if text.contains("<days>") || text.contains("<YYYY>") || text.contains("<year>") {
                sentence += " Skriv ett heltal."
            }
            return sentence
        }
        if text.hasPrefix("Missing value for '") {
            let name = option(quoted(0))
            return "\(name) saknar ett värde. Ett värde som börjar med - läses som en flagga; menar du det, skriv \(name)=VÄRDE."
        }
        if text.hasPrefix("Unknown option '") { return "Flaggan \(quoted(0) ?? "") finns inte." }
        if text.hasPrefix("Unexpected argument '") {
            return "\"\(quoted(0) ?? "")\" är inget kommando eller argument som passar här."
        }
        if text.hasPrefix("Unexpected arguments") { return "För många argument." }
        if text.hasPrefix("Missing expected argument '") { return "Argumentet \(quoted(0) ?? "") saknas." }
        if text.hasPrefix("Error: Missing expected argument") { return "Ett argument saknas." }
        if text.contains("must be provided") || text.hasPrefix("Missing") { return "Något som krävs saknas." }
        if text.contains("cannot be used together") { return "Flaggorna går inte att använda tillsammans." }
        if text.contains("Duplicate") || text.contains("multiple times") { return "Samma flagga är angiven flera gånger." }
        return "Kommandot kunde inte tolkas."
    }
}
