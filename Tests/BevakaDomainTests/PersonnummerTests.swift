import BevakaTestSupport
import Testing
@testable import BevakaDomain

@Suite struct PersonnummerTests {

    @Test func everySkatteverketTestNumberParsesIn12And10Digits() throws {
        let lines = try fixtureLines("testpersonnummer.txt")
        #expect(lines.count >= 300)
        for line in lines {
            let number = try Personnummer.parse(line, today: today)
            #expect(number.digits == line)
            #expect(!number.isCoordinationNumber)
            let age = try #require(number.age(on: today))
            let separator = age >= 100 ? "+" : "-"
            let short = String(line.dropFirst(2).prefix(6)) + separator + String(line.suffix(4))
            #expect(try Personnummer.parse(short, today: today) == number, "\(short)")
            #expect(try Personnummer.parse(String(line.prefix(8)) + "-" + String(line.suffix(4)), today: today) == number)
        }
    }

    @Test func samordningsnummerHaveDayPlusSixty() throws {
        for line in try fixtureLines("testsamordningsnummer.txt") {
            let number = try Personnummer.parse(line, today: today)
            #expect(number.isCoordinationNumber)
            let day = Int(line.dropFirst(6).prefix(2)) ?? 0
            #expect(day >= 60)
            // Some have an unknown month (00): then there is no complete birth date.
            if line.dropFirst(4).prefix(2) != "00" && day != 60 {
                #expect(number.birthDate?.day == day - 60)
            }
        }
    }

    @Test func tenDigitsWithoutSeparatorTakeTheLatestPossibleCentury() throws {
        #expect(try Personnummer.parse("0803172386", today: today).digits == "200803172386")
        #expect(try Personnummer.parse("7610142387", today: today).digits == "197610142387")
        // A plus sign means 100 years or older.
        #expect(try Personnummer.parse("200101+1564", today: today).digits == "192001011564")
    }

    @Test func rejectsWithAReasonThatDoesNotEchoTheNumber() {
        #expect(throws: Personnummer.ParseError.wrongCheckDigit) {
            try Personnummer.parse("19200101-1565", today: today)
        }
        #expect(throws: Personnummer.ParseError.impossibleDate) {
            try Personnummer.parse("19201301-1564", today: today)
        }
        #expect(throws: Personnummer.ParseError.wrongFormat) { try Personnummer.parse("1920010-1564", today: today) }
        #expect(throws: Personnummer.ParseError.wrongFormat) { try Personnummer.parse("19200101 1564x", today: today) }
        #expect(throws: Personnummer.ParseError.empty) { try Personnummer.parse("  ", today: today) }
        #expect(throws: Personnummer.ParseError.futureDate) { try Personnummer.parse("20301010-1234", today: today) }
        #expect(!Personnummer.ParseError.wrongCheckDigit.message.contains("1565"))
    }

    @Test func masksForLists() {
        let number = Personnummer(unchecked: "192001011564")
        #expect(number.masked == "19200101-****")
        #expect(number.formatted == "19200101-1564")
    }
}
