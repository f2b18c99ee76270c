import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaUI

/// BevakaUI is state, actions, reduce, render, keys, themes and the cell buffer — no
/// files, threads, processes, environment or clocks (those are BevakaRuntime's). Its sources
/// are scanned for the APIs that would bring them back; a comment may name them.
@Suite struct PurityTests {
    static let forbidden: [(pattern: String, what: String)] = [
        (#"\bFileManager\b"#, "files"), (#"\bFileHandle\b"#, "files"), (#"contentsOf(File|:\s*URL)|Data\(contentsOf"#, "files"),
        (#"\.write\(to:"#, "files"), (#"\b(fopen|fwrite|fread|unlink|rename|mkdir|mkstemp|fsync)\("#, "files"),
        (#"(?<![\w.])(?<!case )(open|read|write|close)\((?!\))"#, "file descriptors"),
        (#"\bThread\b"#, "threads"), (#"\bDispatch(Queue|Semaphore|Group|Time)\b"#, "threads"), (#"\bTask\s*\{"#, "tasks"),
        (#"\bProcess\b(?!Info)"#, "processes"), (#"\bposix_spawn|\bfork\(|\bexecv"#, "processes"), (#"\bkill\("#, "processes"),
        (#"\bProcessInfo\b|\bgetenv\("#, "the environment"),
        (#"\bDate\(\)|\bContinuousClock\b|\bSuspendingClock\b|\bclock_gettime\b|\btime\(nil\)|\bCFAbsoluteTime"#, "the clock"),
        (#"\b(usleep|sleep|nanosleep)\("#, "sleeping"),
        // Issue 36, item 3: nothing shared by the whole process — no static stored variable, no
        // unchecked global, no lock or counter of the type (a cache's own lock is its instance's).
        (#"\bnonisolated\(unsafe\)|\bstatic\s+(private\s+)?var\s+\w+\s*(:[^{]*)?=|\bstatic\s+(private\s+)?let\s+\w*[Ll]ock\b"#,
         "process-wide state"),
        // No locks at all: the state is one thread's (AppState is not Sendable).
        (#"\b(NSLock|NSRecursiveLock|Mutex|os_unfair_lock|pthread_mutex_\w+)\b|@unchecked\s+Sendable"#, "locks"),
    ]

    @Test func bevakaUIUsesNoFileThreadProcessOrClock() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/BevakaUI")
        // Every source file, in the subfolders (Screens/, Forms/) too.
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 30 && files.contains { $0.hasPrefix("Screens/") } && files.contains { $0.hasPrefix("Forms/") })
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                // Code only: a comment may name what the module leaves out, and strings are words.
                var code = line
                if let comment = code.range(of: "//") { code = String(code[..<comment.lowerBound]) }
                code = code.replacingOccurrences(of: #""([^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
                for (pattern, what) in PurityTests.forbidden where code.range(of: pattern, options: .regularExpression) != nil {
                    found.append("\(file):\(number + 1) (\(what)): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(found.isEmpty, "BevakaUI reaches outside itself:\n\(found.joined(separator: "\n"))")
    }

    /// Dependencies point one way (docs/architecture.md): each module imports only the modules
    /// below it. Issue 36, item 8: the terminal backend no longer reaches the store.
    @Test func eachModuleImportsOnlyWhatIsBelowIt() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let system: Set<String> = ["Foundation", "FoundationXML", "Dispatch", "Glibc", "Darwin"]
        let allowed: [String: Set<String>] = [
            "BevakaDomain": [],
            "BevakaStore": ["BevakaDomain", "ZIPFoundation"],
            "BevakaUI": ["BevakaDomain", "BevakaStore"],
            "BevakaRuntime": ["BevakaDomain", "BevakaStore", "BevakaUI"],
            "BevakaTerminal": ["BevakaUI", "BevakaRuntime", "CNcursesw"],
            "BevakaPostgres": ["BevakaDomain", "BevakaStore", "CLibpq"],
            "BevakaProcess": [],
        ]
        var wrong: [String] = []
        for (module, may) in allowed {
            let folder = sources.appendingPathComponent(module)
            for file in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                    let name = String(line.split(separator: " ").last ?? "")
                    if !system.contains(name) && !may.contains(name) { wrong.append("\(module)/\(file): import \(name)") }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    /// Issue 36, item 2: a dialog carries what it is about; no side field waits beside it.
    @Test func theAppStateKeepsNoPendingSideFields() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/BevakaUI/AppState.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        let fields = text.split(separator: "\n").filter { $0.range(of: #"^\s*(public )?var (pending\w*|unsavedOnQuit|leavePending)\b"#, options: .regularExpression) != nil }
        #expect(fields.isEmpty, "\(fields)")
    }

    /// Every line of BevakaUI's sources that matches `pattern`, as "file:line: text" (`except`:
    /// files the rule does not apply to); and how many files were read.
    static func uiLines(matching pattern: String, except: Set<String> = []) throws -> (found: [String], files: Int) {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/BevakaUI")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        var found: [String] = []
        for name in files where !except.contains(name) {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.range(of: pattern, options: .regularExpression) != nil {
                found.append("\(name):\(number + 1): \(line)")
            }
        }
        return (found, files.count)
    }

    /// Issue 36, item 2: what is open changes only through `push`, `pop`, `dismiss` and `put`
    /// (Overlay.swift); no overlay has a setter, and no other file touches the stack itself.
    @Test func theOverlayStackChangesOnlyThroughPushAndPop() throws {
        let touching = try PurityTests.uiLines(
            matching: #"overlays(\.(append|remove|insert|popLast|removeLast)|\[[^\]]*\]\s*=[^=]|\s*=[^=])"#, except: ["Overlay.swift"])
        #expect(touching.files > 20)
        let setters = try PurityTests.uiLines(matching: #"set \{"#).found.filter { $0.hasPrefix("Overlay.swift:") }
        #expect(touching.found.isEmpty && setters.isEmpty, "\(touching.found + setters)")
    }

    /// Issue 36, item 4: no key policy outside the key table — no list of commands allowed in
    /// hembesöksläge, no footer hint dropped by its label's text.
    @Test func noKeyPolicyOutsideTheKeyTable() throws {
        let found = try PurityTests.uiLines(matching: #"\.key [!=]= "|drop\(\[|homeVisitCommands|Set<Command>"#).found
        #expect(found.isEmpty, "\(found)")
    }

    /// Issue 36, item 3: the loop takes what background work sends from one inbox; it asks no
    /// job for its outcome, and an effect's result is queued, not dispatched inside another.
    @Test func theLoopDrainsOneInboxAndPollsNoJob() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/BevakaRuntime/AppLoop.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        for polling in ["takeOutcomes()", ".poll()", "if let finished = dispatch", "viewedCase?.clientID != logged"] {
            #expect(!text.contains(polling), "\(polling)")
        }
        #expect(text.contains("inbox.drain()"))
    }

    /// Issue 36, item 1: what a screen does is in its own file (a `ScreenUnit`); nothing else
    /// switches on the screen but the one registration, `Screen.unit`.
    @Test func noSwitchOnTheScreenOutsideTheRegistry() throws {
        let found = try PurityTests.uiLines(matching: #"switch (state\.)?screen\b"#).found
        #expect(found.isEmpty, "\(found)")
        // Every screen is registered with a unit of its own.
        #expect(Set(Screen.allCases.map { String(describing: $0.unit) }).count == Screen.allCases.count)
    }

    /// The scan finds what it looks for (so an empty result means something).
    @Test func theScanSeesEachKindInASample() {
        let samples = ["private let lock = NSLock()", "final class Cache: @unchecked Sendable {",
                       "nonisolated(unsafe) private static var counter = 0", "static var count = 0", "private static let counterLock = NSLock()",
                       "let m = FileManager.default", "Thread.detachNewThread {}", "let p = Process()", "let now = Date()",
                       "usleep(100)", "let e = ProcessInfo.processInfo.environment", "DispatchQueue.main.async {}",
                       "let fd = open(path, O_RDONLY)"]
        for sample in samples {
            #expect(PurityTests.forbidden.contains { sample.range(of: $0.pattern, options: .regularExpression) != nil }, "\(sample)")
        }
        for harmless in ["state.open()", "items.append(contentsOf: more)", "case .open: open()", "let date = Date(timeIntervalSince1970: 0)",
                         "case close(clientID: String)", "static var context: KeyContext { get }", "let locked = true"] {
            #expect(!PurityTests.forbidden.contains { harmless.range(of: $0.pattern, options: .regularExpression) != nil }, "\(harmless)")
        }
    }

    /// Every action the loop reduces goes through one `dispatch` that carries out every effect:
    /// no `reduce` call elsewhere in the runtime whose effects could be thrown away.
    @Test func theRuntimeReducesInOnePlaceOnly() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/BevakaRuntime")
        var calls: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated()
            where line.range(of: #"\breduce\("#, options: .regularExpression) != nil && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                calls.append("\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(calls.count == 1 && calls.first?.contains("for effect in reduce(&state, action)") == true, "\(calls)")
    }
}
