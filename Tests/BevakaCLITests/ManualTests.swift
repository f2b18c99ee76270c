import BevakaTestSupport
import Foundation
import Testing

/// Issue 36, item 8: the manual page is made from the command definitions (scripts/make-manual)
/// and installed by scripts/install; this fails when a command changes and the page was not made
/// again, and checks it is Swedish (the library's own generator drops å, ä and ö).
@Suite struct ManualTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ executable: URL, _ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardInput = inPipe
        try process.run()
        let limit = ChildDeadline(process, seconds: 60)
        if let input { inPipe.fileHandleForWriting.write(input) }
        try inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(limit.ended(), "\(executable.lastPathComponent) ran over a minute")
        #expect(process.terminationStatus == 0, "\(executable.lastPathComponent) \(arguments)")
        return data
    }

    @Test func theCommittedPageIsWhatTheCommandsMakeToday() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/man/bevaka.1"), encoding: .utf8)
        let heading = try #require(committed.split(separator: "\n").first { $0.hasPrefix(".TH ") })
        let date = try #require(heading.split(separator: "\"").dropFirst().first.map(String.init))
        let dump = try run(builtProduct("bevaka"), ["--experimental-dump-help"])
        let manual = builtProduct("bevaka").deletingLastPathComponent().appendingPathComponent("bevaka-manual")
        let made = String(decoding: try run(manual, ["--date", date], input: dump), as: UTF8.self)
        #expect(made.trimmingCharacters(in: .newlines) == committed.trimmingCharacters(in: .newlines),
                "docs/man/bevaka.1 is not what the commands make: run scripts/make-manual")
        // Swedish, every command, no English line of the library's.
        for text in ["uppföljning av beslut inom äldreomsorg", ".SH NAMN", ".SH KOMMANDON", "Visa hjälpen."] {
            #expect(made.contains(text), "\(text)")
        }
        for command in ["agenda", "arshjul", "import", "export", "rapport", "demo", "gallra", "db"] {
            #expect(made.contains(".SS \"\(command)"), "\(command)")
        }
        #expect(!made.contains("Show help information") && !made.contains("Show the version"))
    }
}
