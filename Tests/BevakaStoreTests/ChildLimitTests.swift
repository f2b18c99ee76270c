import BevakaProcess
import BevakaTestSupport
import Foundation
import Testing

/// Issue 36, item 7: every child process a test starts has a time limit that fires — a hung
/// child (and what it started, holding the output open) is killed and its test fails, instead
/// of hanging the whole `swift test`.
@Suite struct ChildLimitTests {
    @Test func aHungScriptAndWhatItStartedAreKilledAtTheLimit() {
        let started = Date()
        // The grandchild keeps the output pipe open: only killing the group ends the read.
        let result = ChildProcess.capture("/bin/sh", ["-c", "sleep 60 & wait"], timeLimit: 1)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 137, "\(result)")
        #expect(result.output.contains("stoppad efter 1 s"), "\(result.output)")
        #expect(seconds < 30, "\(seconds) s")
        // Within the limit: nothing is said.
        let quick = ChildProcess.capture("/bin/sh", ["-c", "echo klar"], timeLimit: 30)
        #expect(quick.status == 0 && quick.output == "klar\n")
    }

    @Test func aHungProcessStartedWithFoundationIsKilledAtItsDeadline() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["60"]
        try process.run()
        let limit = ChildDeadline(process, seconds: 1)
        process.waitUntilExit()
        #expect(!limit.ended() && process.terminationReason == .uncaughtSignal)
        let quick = Process()
        quick.executableURL = URL(fileURLWithPath: "/bin/true")
        try quick.run()
        let spared = ChildDeadline(quick, seconds: 30)
        quick.waitUntilExit()
        #expect(spared.ended())
    }
}
