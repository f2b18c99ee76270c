import ArgumentParser
import BevakaDomain
import Foundation

@main
struct Bevaka: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bevaka",
        abstract: "Bevaka: uppföljning av beslut inom äldreomsorg och LSS.",
        discussion: "Utan underkommando öppnas terminalprogrammet.",
        subcommands: [AgendaCommand.self, YearPlanCommand.self, ImportCommand.self, ExportCommand.self,
                      ReportCommand.self, DemoCommand.self, DbCommand.self])

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Färgtema: default, light, high-contrast, mono eller en sökväg till en JSON-fil.",
                               valueName: "NAME|PATH"))
    var theme: String?

    func run() throws {
        try TerminalApp.run(options: global, themeName: theme)
    }

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UserFacingError {
            // Whatever a message quotes (a file's line, a typed value), a personnummer in it is masked.
            FileHandle.standardError.write(Data((TerminalText.maskPersonalNumbers(error.message) + "\n").utf8))
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
            let detail = TerminalText.maskPersonalNumbers(message(for: error))
            FileHandle.standardError.write(Data("Felaktigt kommando: \(detail) Se \"bevaka --help\".\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
