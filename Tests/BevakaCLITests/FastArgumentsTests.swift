import BevakaDomain
import Foundation
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

/// Today in Europe/Stockholm from the zone's offset, against a Gregorian `Calendar` in that zone
/// (what it replaced): every hour, and the minutes around each midnight, over years with their
/// clock changes.
@Suite struct StockholmTodayTests {
    @Test func theDayIsWhatAStockholmCalendarSays() {
        var calendar = Calendar(identifier: .gregorian)
        guard let zone = TimeZone(identifier: "Europe/Stockholm") else {
            Issue.record("the system has no Europe/Stockholm zone")
            return
        }
        calendar.timeZone = zone
        func reference(_ now: Date) -> Day? {
            let parts = calendar.dateComponents([.year, .month, .day], from: now)
            return Day(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
        }
        // 2024-01-01T00:00Z to 2028-01-01T00:00Z hour by hour, and 1969's last days (before 1970).
        var instants = stride(from: 1_704_067_200, to: 1_830_297_600, by: 3_600).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        instants += stride(from: -5 * 86_400, to: 86_400, by: 1_800).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        // Around local midnights: 22:58–23:02 UTC and 21:58–22:02 UTC (winter and summer time).
        for day in stride(from: 1_704_067_200, to: 1_830_297_600, by: 86_400 * 7) {
            for second in [-3_720, -3_601, -3_600, -3_599, -7_320, -7_201, -7_200, -7_199] {
                instants.append(Date(timeIntervalSince1970: TimeInterval(day + 86_400 + second) + 0.5))
            }
        }
        var wrong: [String] = []
        for now in instants where Context.stockholmToday(now: now) != reference(now) {
            wrong.append("\(now.timeIntervalSince1970)")
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    }
}
