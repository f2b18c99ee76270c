import BevakaDomain
import Foundation

/// What every test target needs, once: dates from literals, the suite's "today", a seeded
/// generator and private temporary folders.

/// `Day` from a literal in tests; a bad literal is a test bug, so trapping is right here.
public func d(_ text: String) -> Day {
    guard let day = Day(iso: text) else { fatalError("bad test date \(text)") }
    return day
}

/// The day the tests live on (a Sunday; week 47 of 2026).
public let today = d("2026-11-22")

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same inputs on every
/// machine, so a failure names an input that can be made again.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A fresh temporary folder (mode 0700), removed by the caller. Its name has no digits: messages
/// mask what looks like a personnummer, and a UUID's `12345678-1234` does.
public func temporaryFolder(_ prefix: String = "bevaka-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(uniqueLetters())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return url
}

/// A UUID with its digits turned into letters: unique, and never mistaken for a personnummer.
public func uniqueLetters() -> String {
    String(UUID().uuidString.unicodeScalars.map { scalar in
        (48...57).contains(scalar.value) ? Character(UnicodeScalar(scalar.value + 49) ?? "x") : Character(scalar)
    })
}

/// A time limit for a child process a test starts with Foundation's `Process` (issue 36, item
/// 7): after `seconds` it is killed, so a hung child fails its test instead of hanging the whole
/// `swift test`. Call `ended()` after `waitUntilExit()`: false when the limit had to kill it.
public final class ChildDeadline: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var fired = false

    public init(_ process: Process, seconds: Double = 120) {
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            lock.lock()
            defer { lock.unlock() }
            guard !finished, pid > 0 else { return }
            fired = true
            kill(pid, SIGKILL)
        }
    }

    /// Marks the child as waited for; whether it ended by itself (within the limit).
    public func ended() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        return !fired
    }
}

/// A product of this package built beside the tests (`bevaka`, `bevaka-store-probe`,
/// `bevaka-manual` …): the one place the test targets find them.
public func builtProduct(_ name: String) -> URL {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path) { return url.appendingPathComponent(name) }
    }
    return URL(fileURLWithPath: name)
}
