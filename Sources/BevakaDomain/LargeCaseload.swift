extension DemoCaseload {
    /// A caseload of `count` people for benchmarks and tests at scale: the demo's people and
    /// services, about three decisions each, spread over time, the same for the same arguments.
    ///
    /// Each person needs a personnummer of their own (the shared store keeps them unique), and
    /// only Skatteverket's few hundred test numbers may stand for people. So these are made from
    /// a test number's birth date moved 200 years back (to 1720–1808), with a serial of their own
    /// and a right check digit: personnummer were introduced in 1947 and given to the living
    /// only, and nobody born before 1840 was alive then, so no such number was ever anyone's.
    /// (They are valid numbers: the store, the import and the forms accept them.)
    public static func large(_ count: Int, today: Day) -> Caseload {
        let demo = make(today: today)
        let people = demo.clients
        let decisions = people.flatMap(\.decisions)
        var caseload = Caseload()
        var seed: UInt64 = 0x5EED
        func next(_ range: ClosedRange<Int>) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((seed >> 33) % UInt64(range.count))
        }
        // Two templates born a day or two apart would meet once their serials move the date on
        // (from about 30,000 people): a number already given moves on 997 days until it is free.
        var given = Set<String>()
        for index in 0..<count {
            let template = people[index % people.count]
            var serial = index / people.count
            var personnummer = unassignable(template.personnummer, serial)
            while given.contains(personnummer.digits) {
                serial += 997_000
                personnummer = unassignable(template.personnummer, serial)
            }
            given.insert(personnummer.digits)
            var client = Client(id: caseload.makeID("c"), name: template.name, personnummer: personnummer)
            let decisionCount = 2 + index % 3  // 2, 3 or 4: three on average
            for offset in 0..<decisionCount {
                var decision = decisions[(index + offset * 7) % decisions.count]
                decision.id = caseload.makeID("d")
                decision.validFrom = today.adding(days: next(-700...0))
                // One decision per service and first day: the list format knows a decision by them.
                while client.decisions.contains(where: { $0.service == decision.service && $0.validFrom == decision.validFrom }) {
                    decision.validFrom = decision.validFrom.adding(days: -1)
                }
                decision.startedOn = decision.validFrom.adding(days: 3)
                // Decided a week before it applies (the template's date belongs to its own start).
                decision.decidedOn = decision.decidedOn.map { _ in decision.validFrom.adding(days: -7) }
                decision.validTo = offset == 0 ? decision.validFrom.adding(days: 365) : nil
                client.decisions.append(decision)
            }
            for year in 0..<(index % 4) {
                client.followUps.append(FollowUp(
                    id: caseload.makeID("f"), date: today.adding(days: -40 - 365 * year), form: .homeVisit,
                    trigger: .ownPlan, participants: ["den enskilde", "handläggare"], outcome: .asDecided,
                    notes: "Insatsen fungerar enligt beslut."))
            }
            if index % 5 == 0 {
                client.reminders.append(Reminder(id: caseload.makeID("r"), kind: .manual, due: today.adding(days: index % 60),
                                                 text: "Ring om underlag", priority: .high))
            }
            caseload.clients.append(client)
        }
        return caseload
    }

    /// The test number's birth date 200 years back (moved a day on per thousand), a serial of
    /// three digits and the right check digit.
    static func unassignable(_ template: Personnummer, _ serial: Int) -> Personnummer {
        // (29 February of a year that was not a leap year 200 years earlier becomes the 28th.)
        guard let birth = template.birthDate,
              let moved = Day(year: birth.year - 200, month: birth.month, day: birth.day)
                ?? Day(year: birth.year - 200, month: birth.month, day: 28) else { return template }
        let day = moved.adding(days: serial / 1000)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = "\(day.year)\(two(day.month))\(two(day.day))"
        let number = String(1000 + serial % 1000).dropFirst()
        let body = Array(String(date.dropFirst(2)) + number)
        // Luhn over the ten digits without the check digit (YYMMDDNNN).
        var sum = 0
        for (position, character) in body.enumerated() {
            var value = (character.wholeNumberValue ?? 0) * (position % 2 == 0 ? 2 : 1)
            if value > 9 { value -= 9 }
            sum += value
        }
        return Personnummer(unchecked: date + number + String((10 - sum % 10) % 10))
    }
}
