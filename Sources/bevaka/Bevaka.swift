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
        func stop(_ failure: Failure) -> Never {
            if !failure.stdout.isEmpty { print(failure.stdout, terminator: "") }
            FileHandle.standardError.write(Data(failure.stderr.utf8))
            Foundation.exit(failure.status)
        }
        var command: ParsableCommand
        do {
            // The plainest `bevaka agenda …` starts without ArgumentParser's reflection.
            if let fast = AgendaCommand.fastArguments(arguments) {
                do { try AgendaCommand.run(fast) } catch { stop(failure(whileRunning: error)) }
                return
            }
            command = try parseAsRoot()
        } catch {
            stop(failure(for: error))
        }
        do {
            try command.run()
        } catch {
            stop(failure(whileRunning: error))
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
