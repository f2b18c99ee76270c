import Testing
@testable import bevaka

/// `bevaka agenda`'s own reading of its options (issue 15) against ArgumentParser, the reference:
/// on every line of up to three words from a set of tokens, whenever the fast reading gives
/// values, ArgumentParser parses the same line to an `agenda` with the same values.
@Suite struct RequestTests {
    static let tokens = [
        "--store", "--store=/tmp/x.json", "/tmp/y.json", "--today", "2026-11-22", "--today=2026-01-01",
        "--days", "7", "--days=14", "007", "-5", "--week", "--demo", "--show-personnummer", "--format",
        "json", "xml", "--format=text", "--", "-h", "", "agenda", "--days=", "--week=1",
    ]

    @Test func everyLineTheFastReadingTakesParsesTheSameInArgumentParser() throws {
        var lines: [[String]] = [["agenda"]]
        for a in Self.tokens {
            lines.append(["agenda", a])
            for b in Self.tokens {
                lines.append(["agenda", a, b])
                for c in Self.tokens { lines.append(["agenda", a, b, c]) }
            }
        }
        var taken = 0
        for line in lines {
            guard let fast = AgendaCommand.fastArguments(line) else { continue }
            taken += 1
            let parsed = try? Bevaka.parseAsRoot(line)
            guard let agenda = parsed as? AgendaCommand else {
                Issue.record("ArgumentParser does not parse \(line) as agenda, the fast reading does")
                continue
            }
            // parseAsRoot ran validate(): the options are valid values.
            #expect(fast == (try? agenda.request()), "\(line)")
        }
        // The fast reading must take the common lines, not give everything to the reference.
        #expect(taken > 300)
        #expect(AgendaCommand.fastArguments(["agenda", "--store", "/s.json", "--today", "2026-11-22"])
            == AgendaCommand.Request(global: GlobalValues(store: "/s.json", today: "2026-11-22")))
        #expect(AgendaCommand.fastArguments(["arshjul"]) == nil)
        #expect(AgendaCommand.fastArguments(["agenda", "--help"]) == nil)
    }

    /// What `bevaka --version` prints without ArgumentParser is what ArgumentParser prints.
    @Test func theVersionIsArgumentParsersVersion() {
        do {
            _ = try Bevaka.parseAsRoot(["--version"])
            Issue.record("--version parsed as a command")
        } catch {
            #expect(Bevaka.fullMessage(for: error) == Bevaka.configuration.version)
            #expect(Bevaka.exitCode(for: error) == .success)
        }
        #expect(Bevaka.configuration.version == "bevaka \(bevakaVersion)")
    }
}
