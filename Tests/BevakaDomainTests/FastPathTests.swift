import BevakaTestSupport
import Foundation
import Testing
@testable import BevakaDomain

/// Issue 15's shortcuts against the slower code they replace, which stays the reference.
@Suite struct FastPathTests {
    @Test func aDateIsWrittenAsThePaddedNumbersEveryDayOfFourCenturies() {
        let first = Day(year: 1800, month: 1, day: 1)?.dayNumber ?? 0
        let last = Day(year: 2200, month: 12, day: 31)?.dayNumber ?? 0
        for number in first...last {
            let day = Day(dayNumber: number)
            let (y, m, d) = day.civil
            let reference = String(y).leftPadded(4) + "-" + String(m).leftPadded(2) + "-" + String(d).leftPadded(2)
            guard day.description == reference else {
                Issue.record("\(reference) written as \(day.description)")
                return
            }
        }
        #expect(Day(year: 1, month: 2, day: 3)?.description == "0001-02-03")
    }

    @Test func isHolidayIsTheYearsHolidaysEveryDayOfFiveCenturies() {
        var wrong: [String] = []
        for year in 1800...2300 {
            guard let start = Day(year: year, month: 1, day: 1) else { continue }
            let named = Set(WorkingDays.holidays(year: year).map(\.day))
            for offset in 0..<366 {
                let day = start.adding(days: offset)
                guard day.year == year else { break }
                if WorkingDays.isHoliday(day) != named.contains(day)
                    || WorkingDays.isWorkingDay(day) != (!day.isWeekend && WorkingDays.holidayName(day) == nil) {
                    wrong.append(day.description)
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
        #expect(WorkingDays.isHoliday(Day(year: 2026, month: 6, day: 19) ?? Day(dayNumber: 0)))  // midsommarafton
        #expect(!WorkingDays.isHoliday(Day(year: 2026, month: 6, day: 18) ?? Day(dayNumber: 0)))
        // The rule's examples (DOMAIN.md, issue 14).
        #expect(WorkingDays.onOrBefore(Day(year: 2026, month: 12, day: 26) ?? Day(dayNumber: 0)).description == "2026-12-23")
        #expect(WorkingDays.onOrBefore(Day(year: 2026, month: 6, day: 19) ?? Day(dayNumber: 0)).description == "2026-06-18")
    }

    @Test func blankIsWhatFoundationsWhitespaceTrimsAway() {
        let pieces = [" ", "\t", "\u{A0}", "\u{2000}", "\u{200A}", "\u{205F}", "\u{180E}", "\u{85}", "\u{2028}", "\u{2003}", "\u{3000}", "\u{200B}", "\n", "\r", "x", "å", "\u{1680}", "\u{202F}", "\u{FEFF}"]
        var random = UInt64(15)
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int(random % 4) {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((random >> 33) % UInt64(pieces.count))]
            }
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var decision = Decision(id: "d", law: .sol, service: "hemtjänst", validFrom: Day(dayNumber: 0),
                                    startedOn: Day(dayNumber: 1))
            decision.notCarriedOut = text
            #expect(decision.notCarriedOutYet == !text.trimmingCharacters(in: .whitespaces).isEmpty,
                    "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// Up to `most` pieces joined, chosen by `random`.
    static func text(of pieces: [String], upTo most: Int, _ random: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...most, using: &random)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
    }

    @Test func normalisingIsWhatLowerCasingAndSplittingGive() {
        let pieces = [" ", "  ", "\t", "a", "Z", "hemtjänst", "Å", "å", "ä", "Ä", "ö", "Ö", "é", "É", "ß", "ÿ", "÷", "×",
                      "\u{308}", "İ", "Σ", "ς", "ﬁ", "ǅ", "Ⅻ", "😀", "-", "daglig verksamhet", "LSS", "\u{A0}", "\u{C0}"]
        var random = SeededRandom(seed: 37)
        let texts = ServiceCatalog.builtIn.map(\.name) + Array(ServiceCatalog.builtInAliases.keys) + [""]
            + (0..<5_000).map { _ in Self.text(of: pieces, upTo: 5, &random) }
        for text in texts {
            #expect(ServiceCatalog.normalise(text) == ServiceCatalog.referenceNormalise(text),
                    "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func anAgendaRowWrittenInPlaceIsTheRowTheReferenceMakes() {
        let pieces = ["", " ", "  ", "a", "Anna", "Ångström", "é", "ÿ", "\u{A0}", "\u{85}", "\u{7F}", "\t", "ǅ", "ʼ",
                      "\u{2FF}", "\u{300}", "e\u{301}", "…", "漢字", "😀", "2026-03-02", "409 d sen", "17230725-****",
                      "Genomförandeplan saknas: korttidsvistelse", "x".padding(toLength: 40, withPad: "y", startingAt: 0)]
        var random = SeededRandom(seed: 80)
        var wrong = 0
        for _ in 0..<20_000 {
            let cells = (0..<(Int.random(in: 0..<10, using: &random) == 0 ? Int.random(in: 0..<7, using: &random) : 5)).map { _ in
                Self.text(of: pieces, upTo: 3, &random)
            }
            var text = "före\n"
            Reports.appendRow(cells, to: &text)
            if text != "före\n" + Reports.row(cells) {
                wrong += 1
                Issue.record("\(cells.map { $0.unicodeScalars.map { String($0.value, radix: 16) } })")
                if wrong > 5 { return }
            }
        }
    }

    @Test func aServiceSpelledAsTheCatalogSaysFindsTheSameProfile() {
        let catalog = ServiceCatalog(aliases: ["dagverksamhet för äldre": "dagverksamhet", "Ej Normal": "lss"])
        let names = ServiceCatalog.builtIn.map(\.name) + Array(ServiceCatalog.builtInAliases.keys) + ["Hemtjänst", "  hemtjänst ", "hemtja\u{308}nst", "Ej Normal",
                                                         "ej normal", "dagverksamhet för äldre", "okänd insats", "",
                                                         // A prefix, a longer name, one made from a slice (compared by bytes).
                                                         "hemtjäns", "hemtjänstx", "lss", String("xhemtjänst".dropFirst()),
                                                         String(decoding: Array("personlig assistans".utf8), as: UTF8.self)]
        for name in names {
            for law in Law.allCases {
                let reference = ServiceCatalog(aliases: catalog.aliases)
                #expect(catalog.profileID(service: name, law: law) == reference.referenceProfileID(service: name, law: law),
                        "\(name) \(law)")
            }
        }
    }
}

extension ServiceCatalog {
    /// profileID as it was: always normalising first.
    func referenceProfileID(service: String, law: Law) -> String {
        profileID(normalised: ServiceCatalog.normalise(service), law: law)
    }
}

@Suite struct AgendaSortTests {
    /// A kind's position is its place in `allCases`, and its name rank orders kinds as their
    /// names do (the order the lists compare kinds in).
    @Test func theKindsRanksAreTheirNamesOrder() {
        #expect(DueKind.allCases.enumerated().allSatisfy { $0.offset == $0.element.position })
        for a in DueKind.allCases {
            for b in DueKind.allCases { #expect((a.nameRank < b.nameRank) == (a.rawValue < b.rawValue), "\(a) \(b)") }
        }
    }

    /// The in-place sort by index gives what a stable sort with the agenda's comparison gives.
    @Test func theAgendaIsInTheOrderAStableSortGives() {
        let day = Day(year: 2026, month: 11, day: 22) ?? Day(dayNumber: 0)
        for size in [0, 1, 7, 400, 1_500] {
            var entries = Agenda.unsortedEntries(DemoCaseload.large(size, today: day).clients, routines: .standard,
                                                 today: day, days: 400)
            var random = SeededRandom(seed: UInt64(size))
            entries.shuffle(using: &random)
            let reference = entries.enumerated().sorted { x, y in
                let a = x.element, b = y.element
                if a.item.due != b.item.due { return a.item.due < b.item.due }
                if a.item.priority != b.item.priority { return a.item.priority < b.item.priority }
                if a.clientName != b.clientName { return a.clientName < b.clientName }
                if a.item.kind != b.item.kind { return a.item.kind.rawValue < b.item.kind.rawValue }
                return x.offset < y.offset
            }.map(\.element)
            Agenda.sort(&entries)
            #expect(entries == reference, "\(size)")
        }
    }
}
