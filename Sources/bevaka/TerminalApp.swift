import BevakaDomain
import BevakaStore
import BevakaTerminal
import BevakaRuntime
import BevakaUI
import Foundation

/// Wires the terminal app: store, theme, state, backend, loop.
enum TerminalApp {
    static func run(options: GlobalOptions, themeName: String?, screenReader flag: Bool = false) throws {
        let context = try Context(options)
        let environment = context.environment
        let store = try context.store()
        // Whichever way the app leaves, the store's connections and threads end first.
        defer { store.shutDown() }
        let (theme, themeProblem) = loadTheme(themeName, environment: environment)
        let prepared: AppStart.Prepared
        do {
            prepared = try AppStart.prepare(store: store, demo: options.demo, routines: context.routines, today: context.today,
                                            environment: environment, clockToday: Context.stockholmToday(), now: Date())
        } catch {
            throw UserFacingError(message: error.message)
        }
        var state = prepared.state
        if let themeProblem, state.message == nil {
            state.message = themeProblem
            state.messageIsError = true
        }
        let saver = prepared.saver
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        installSignalHandlers()
        var screenReader = flag
        if !flag {
            do {
                screenReader = try StoreLocation.screenReader(environment: environment)
            } catch {
                throw UserFacingError(message: error.message)
            }
        }
        state.screenReader = screenReader
        guard let backend = NcursesBackend(theme: theme, noColor: noColor, screenReader: screenReader) else {
            throw UserFacingError(message: "Terminalen kan inte användas (TERM=\(environment["TERM"] ?? "saknas")).")
        }
        let fixedDay = options.today != nil || environment["BEVAKA_TODAY"].map { !$0.isEmpty } == true
        let wallDay: @Sendable () -> Day = { Context.stockholmToday() }
        var loop = AppLoop(state: state, backend: backend, saver: saver, clock: { Date() },
                           currentDay: fixedDay ? nil : wallDay,
                           environment: environment)
        let allSaved = loop.run()
        backend.stop()
        if !allSaved, let kept = loop.recoveryFile {
            throw UserFacingError(message: "Servern tog inte emot de senaste ändringarna; de är sparade i \(kept) och skickas till \(store.location) nästa gång du startar Bevaka.")
        }
        if !allSaved, let copy = loop.savedCopy {
            throw UserFacingError(message: "Ändringarna kunde inte sparas i \(store.location), men en kopia med alla ändringar finns i \(copy). När felet är åtgärdat: stäng Bevaka och kör cp '\(copy)' '\(store.location)'.")
        }
        if !allSaved {
            throw UserFacingError(message: "Den senaste ändringen kunde inte sparas i \(store.location). Kontrollera disken (eller anslutningen) och starta Bevaka igen; det som redan var sparat är orört.")
        }
    }

    /// The theme to use and, if the requested one could not be used, why (shown in the status line).
    static func loadTheme(_ name: String?, environment: [String: String]) -> (Theme, String?) {
        guard let name, !name.isEmpty else { return (.default, nil) }
        let shipped = shippedThemeFolders(environment: environment)
        guard let url = Theme.locate(name, configFolder: StoreLocation.configFolder(environment), shippedFolders: shipped) else {
            let known = Set(([StoreLocation.configFolder(environment).appendingPathComponent("themes")] + shipped).flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                    .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
            }).sorted()
            let names = known.isEmpty ? "" : " Teman som finns: \(known.joined(separator: ", "))."
            return (.default, "Temat \"\(name)\" finns inte.\(names) Standardtemat används.")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return (.default, "Temat \(url.path) går inte att läsa. Standardtemat används.")
        }
        do {
            return (try Theme.parse(data, path: url.path), nil)
        } catch {
            return (.default, error.message)
        }
    }

    /// Where shipped themes are looked for, in order: beside the real executable (found through
    /// /proc/self/exe, so a symlink or a PATH entry does not matter) and in the folders above it (a
    /// source checkout's `Themes/`), the install prefix's `share/bevaka/themes` (scripts/install),
    /// then the XDG data folders (`$XDG_DATA_HOME`, `$XDG_DATA_DIRS`) and /usr/share.
    static func shippedThemeFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var folders: [URL] = []
        let fm = FileManager.default
        let executable = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binFolder = executable.deletingLastPathComponent()
        folders.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/bevaka/themes"))
        var url = binFolder
        for _ in 0..<6 {
            folders.append(url.appendingPathComponent("Themes"))
            url.deleteLastPathComponent()
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.local/share"
        folders.append(URL(fileURLWithPath: dataHome).appendingPathComponent("bevaka/themes"))
        let dataDirs = (environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/share:/usr/share")
            .split(separator: ":").filter { $0.hasPrefix("/") }
        for dir in dataDirs { folders.append(URL(fileURLWithPath: String(dir)).appendingPathComponent("bevaka/themes")) }
        return folders
    }
}
