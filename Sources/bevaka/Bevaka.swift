import ArgumentParser
import BevakaDomain
import Foundation

@main
struct Bevaka: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bevaka",
        abstract: "Bevaka: uppföljning av beslut inom äldreomsorg och LSS.",
        subcommands: [AgendaCommand.self, YearPlanCommand.self, ImportCommand.self],
        defaultSubcommand: AgendaCommand.self)

    @OptionGroup var global: GlobalOptions

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UserFacingError {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
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
            let detail = message(for: error)
            FileHandle.standardError.write(Data("Felaktigt kommando: \(detail) Se \"bevaka --help\".\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
