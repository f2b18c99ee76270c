/// A fictional caseload for `bevaka --demo`: 32 people across the three routines, dated relative to
/// `today` so that there is always something overdue, something due soon and a planned year.
/// Every personnummer is one of Skatteverket's published test numbers (shared/testdata).
/// Anna and Erik are the worked examples of seed 002.
public enum DemoCaseload {
    /// One demo decision, in days relative to today.
    struct Row {
        var name: String
        var pnr: String
        var service: String
        var law: Law = .sol
        var form: DecisionForm?
        var granted: Double?
        var performed: Double?
        /// Decision valid from today + `from` days; `length` days long or until further notice.
        var from: Int
        var length: Int?
        var provider: String
        var regi: Regi = .municipal
        var consent: ConsentStatus?
        /// The plan was established `plan` days after the start; nil: no plan yet.
        var plan: Int?
        /// The plan was last revised on today + `revised` days.
        var revised: Int?
        /// The last follow-up, days relative to today.
        var lastFollowUp: Int?
        var children: Bool?
    }

    static let rows: [Row] = [
        // Seed 002: Anna, home from hospital, 3 weeks of hemtjänst seven times a day.
        Row(name: "Anna Lindqvist", pnr: "192604149225", service: "hemtjänst", form: .itemized,
            granted: 42, performed: 41, from: -9, length: 21, provider: "Hemtjänst Centrum", plan: nil),
        // Seed 002: Erik, four years of hemtjänst, his decision about to end.
        Row(name: "Erik Johansson", pnr: "192203299231", service: "hemtjänst", form: .frame,
            granted: 30, performed: 33.5, from: -340, length: 365, provider: "Omsorg i Väst AB", regi: .private,
            consent: .given, plan: 20, lastFollowUp: -340),
        Row(name: "Astrid Nilsson", pnr: "192001011564", service: "vård- och omsorgsboende",
            from: -420, provider: "Solgårdens vård- och omsorgsboende", plan: 12, lastFollowUp: -400),
        Row(name: "Gösta Berg", pnr: "192002209209", service: "vård- och omsorgsboende",
            from: -12, provider: "Lindängens äldreboende AB", regi: .private, consent: .notAsked, plan: nil),
        Row(name: "Märta Åberg", pnr: "192009079282", service: "hemtjänst", form: .frame,
            granted: 20, performed: 21, from: -700, provider: "Hemtjänst Centrum", plan: 21, lastFollowUp: -330),
        Row(name: "Sven Öberg", pnr: "192104198383", service: "trygghetslarm",
            from: -200, provider: "Trygghetscentralen", plan: 10, lastFollowUp: nil),
        Row(name: "Karin Holm", pnr: "192104309253", service: "hemtjänst", form: .itemized,
            granted: 12, performed: 10.8, from: -500, provider: "Hemtjänst Norr", plan: 25, lastFollowUp: -350),
        Row(name: "Olof Lund", pnr: "192106049279", service: "matdistribution",
            from: -150, provider: "Kommunens kök", plan: 5, lastFollowUp: nil),
        Row(name: "Ingrid Sjöberg", pnr: "192107169274", service: "vård- och omsorgsboende",
            from: -800, provider: "Solgårdens vård- och omsorgsboende", plan: 10, lastFollowUp: -380),
        Row(name: "Bertil Ek", pnr: "192202229189", service: "hemtjänst", form: .frame,
            granted: 40, performed: 42, from: -250, provider: "Omsorg i Väst AB", regi: .private,
            consent: .given, plan: 26, lastFollowUp: nil),
        Row(name: "Elsa Forsberg", pnr: "192209099262", service: "hemtjänst", form: .frame,
            granted: 25, performed: 31, from: -180, length: 365, provider: "Hemtjänst Centrum", plan: 30),
        Row(name: "Nils Wallin", pnr: "192210289076", service: "dagverksamhet",
            from: -90, provider: "Träffpunkt Linden", plan: 12),
        Row(name: "Greta Dahl", pnr: "192212018002", service: "korttidsvistelse",
            from: -20, length: 42, provider: "Korttidsboendet Ekbacken", plan: 6),
        Row(name: "Harald Strand", pnr: "192301149247", service: "hemtjänst", form: .itemized,
            granted: 8, performed: 8, from: -35, provider: "Hemtjänst Norr", plan: nil),
        Row(name: "Ebba Lindgren", pnr: "192301299216", service: "vård- och omsorgsboende",
            from: -365, provider: "Lindängens äldreboende AB", regi: .private, consent: .given, plan: 13,
            lastFollowUp: -300),
        Row(name: "Arne Hedlund", pnr: "192305078400", service: "hemtjänst", form: .frame,
            granted: 50, performed: 44, from: -400, provider: "Hemtjänst Centrum", plan: 27, lastFollowUp: -320),
        Row(name: "Rut Engström", pnr: "192306189222", service: "serviceinsatser",
            from: -210, length: 400, provider: "Städ & Service i Väst AB", regi: .private, consent: .given,
            plan: 20),
        Row(name: "Folke Nyström", pnr: "192306269107", service: "personlig omvårdnad",
            from: -120, provider: "Hemtjänst Norr", plan: 15),
        Row(name: "Signe Björk", pnr: "192306279254", service: "vård- och omsorgsboende",
            from: -15, provider: "Solgårdens vård- och omsorgsboende", plan: nil),
        Row(name: "Valter Söderberg", pnr: "192307107751", service: "boendestöd",
            from: -330, length: 380, provider: "Boendestödsteamet", plan: 25, lastFollowUp: nil),
        // A decision that ended three weeks ago without a follow-up (R9).
        Row(name: "Ulla Franzén", pnr: "192307258430", service: "boendestöd",
            from: -386, length: 365, provider: "Boendestödsteamet", plan: 20, lastFollowUp: -300),
        // LSS
        Row(name: "Jonas Pettersson", pnr: "197610142387", service: "personlig assistans", law: .lss,
            from: -600, provider: "Assistanspoolen AB", regi: .private, consent: .given, plan: 14, revised: -100,
            lastFollowUp: -370),
        Row(name: "Sara Mohammed", pnr: "198103312388", service: "daglig verksamhet", law: .lss,
            from: -300, provider: "Verkstan daglig verksamhet", plan: 10, revised: -150, lastFollowUp: nil),
        Row(name: "Leo Karlsson", pnr: "198401062388", service: "bostad med särskild service för vuxna", law: .lss,
            from: -900, provider: "Gruppbostaden Tallen", plan: 13, revised: -170, lastFollowUp: -200),
        Row(name: "Amira Hassan", pnr: "198503282397", service: "ledsagarservice", law: .lss,
            from: -20, length: 365, provider: "Ledsagarservice kommunal", plan: nil),
        Row(name: "Oskar Lindberg", pnr: "198912172387", service: "kontaktperson", law: .lss,
            from: -250, provider: "Kontaktpersonsförmedlingen", plan: 30, revised: -60, lastFollowUp: nil),
        Row(name: "Maja Axelsson", pnr: "199208012394", service: "personlig assistans", law: .lss,
            from: -10, provider: "Assistans Plus AB", regi: .private, consent: .notAsked, plan: nil),
        Row(name: "Ali Yilmaz", pnr: "199603022394", service: "daglig verksamhet", law: .lss,
            from: -500, provider: "Verkstan daglig verksamhet", plan: 12, revised: -190, lastFollowUp: -340),
        Row(name: "Ellen Persson", pnr: "199804132380", service: "bostad med särskild service för vuxna", law: .lss,
            from: -260, provider: "Gruppbostaden Tallen", plan: 9, revised: -120),
        Row(name: "Noah Gustafsson", pnr: "200206132383", service: "korttidsvistelse", law: .lss,
            from: -180, length: 365, provider: "Korttidshemmet Kastanjen", plan: 11, children: true),
        Row(name: "Wilma Jönsson", pnr: "200407012384", service: "avlösarservice i hemmet", law: .lss,
            from: -60, provider: "Avlösarservice kommunal", plan: 13, children: true),
        Row(name: "Hugo Eriksson", pnr: "200803172386", service: "korttidstillsyn för skolungdom över 12 år",
            law: .lss, from: -75, length: 300, provider: "Fritids Björken", plan: 20, children: true),
        Row(name: "Alice Svensson", pnr: "197602192390", service: "rådgivning och annat personligt stöd",
            law: .lss, from: -380, provider: "Habiliteringen", plan: 20, revised: -90, lastFollowUp: -360),
        // Second decisions for people above (R8: one follow-up per person).
        Row(name: "Märta Åberg", pnr: "192009079282", service: "trygghetslarm",
            from: -650, provider: "Trygghetscentralen", plan: 3),
        Row(name: "Jonas Pettersson", pnr: "197610142387", service: "daglig verksamhet", law: .lss,
            from: -420, provider: "Verkstan daglig verksamhet", plan: 10, revised: -100),
    ]

    public static func make(today: Day) -> Caseload {
        var caseload = Caseload()
        for row in rows {
            let start = today.adding(days: row.from)
            let decision = Decision(
                id: caseload.makeID("d"), law: row.law, service: row.service, form: row.form,
                grantedHours: row.granted, performedHours: row.performed,
                validFrom: start, validTo: row.length.map { start.adding(days: $0) }, startedOn: start,
                provider: Provider(name: row.provider, regi: row.regi, caseSystemAccess: row.regi == .municipal),
                consent: row.consent,
                plan: row.plan.map { CarePlan(received: start.adding(days: $0 + 2), established: start.adding(days: $0),
                                              revised: row.revised.map { today.adding(days: $0) },
                                              personTookPart: true) })
            let number = Personnummer(unchecked: row.pnr)
            let index: Int
            if let existing = caseload.clients.firstIndex(where: { $0.personnummer == number }) {
                index = existing
            } else {
                caseload.clients.append(Client(id: caseload.makeID("c"), name: row.name, personnummer: number,
                                               livesWithChildren: row.children))
                index = caseload.clients.count - 1
            }
            caseload.clients[index].decisions.append(decision)
            if let offset = row.lastFollowUp {
                let id = caseload.makeID("f")
                caseload.clients[index].followUps.append(FollowUp(
                    id: id, date: today.adding(days: offset), form: .homeVisit, trigger: .ownPlan,
                    participants: ["den enskilde", "handläggare"], outcome: .asDecided))
            }
        }
        // The way to the door for some, so the case screen and hembesöksläge show it. Fictional
        // streets; phone numbers from the ranges PTS keeps for fiction (070-174 06 xx, 031-390 06 xx).
        let doors: [(name: String, street: String, postcode: String, town: String, phones: [Phone], code: String?, access: String?)] = [
            ("Astrid Nilsson", "Solgårdsvägen 4, lgh 1102", "463 30", "Lilla Edet",
             [Phone(label: Phone.relative, number: "070-174 06 12")], nil, "Boendets entré, anmäl dig i receptionen"),
            ("Erik Johansson", "Björkgatan 12", "463 31", "Lilla Edet",
             [Phone(label: Phone.own, number: "070-174 06 05"), Phone(label: Phone.relative, number: "070-174 06 06")],
             "1942", "Nyckel i nyckelgömma vid dörren; katten får inte gå ut"),
            ("Karin Holm", "Storgatan 3", "463 32", "Lilla Edet",
             [Phone(label: Phone.own, number: "031-390 06 10")], "4711", "Trygghetslarm: ring på, hon öppnar själv"),
            ("Gösta Berg", "Ängsvägen 9", "463 33", "Lilla Edet",
             [Phone(label: Phone.relative, number: "070-174 06 22")], nil, "Hunden är snäll men hoppar"),
            ("Leo Karlsson", "Kvarngatan 7", "463 34", "Lilla Edet",
             [Phone(label: Phone.own, number: "070-174 06 30"), Phone(label: Phone.guardian, number: "070-174 06 31")],
             "2580", nil),
        ]
        for door in doors {
            guard let index = caseload.clients.firstIndex(where: { $0.name == door.name }) else { continue }
            caseload.clients[index].address = Address(street: door.street, postcode: door.postcode, town: door.town)
            caseload.clients[index].phones = door.phones
            caseload.clients[index].doorCode = door.code
            caseload.clients[index].access = door.access
            for d in caseload.clients[index].decisions.indices {
                caseload.clients[index].decisions[d].provider?.contact = ["Sara Lund", "Omar Said", "Eva Berg", "Jonas Ek"][index % 4]
                caseload.clients[index].decisions[d].provider?.phone = "031-390 06 \(50 + index % 40)"
            }
        }
        // Three booked visits: today, later this week (today when the week ends today), next month.
        let weekEnd = today.adding(days: 7 - today.weekday)
        let bookings: [(name: String, date: Day, start: Int)] = [
            ("Erik Johansson", today, 10 * 60),
            ("Karin Holm", min(today.adding(days: 2), weekEnd), 14 * 60 + 30),
            ("Leo Karlsson", today.adding(days: 35), 9 * 60),
        ]
        for booking in bookings {
            guard let index = caseload.clients.firstIndex(where: { $0.name == booking.name }) else { continue }
            let providers = caseload.clients[index].decisions.compactMap { $0.provider?.name }
            caseload.clients[index].booking = Booking(date: booking.date, start: booking.start, minutes: 60,
                                                      invited: ["den enskilde"] + providers)
        }
        // Verkställighet (R11, R12): two decisions not carried out — one a week before its
        // three-month limit, one past it with a declined offer and the reason written — and one
        // interruption not resumed, so the IVO parts show at once.
        let notCarriedOut: [(name: String, service: String, law: Law, decided: Int, offers: [Offer], reason: String?)] = [
            ("Gösta Berg", "dagverksamhet", .sol, -85, [], nil),
            ("Maja Axelsson", "korttidsvistelse", .lss, -130,
             [Offer(on: today.adding(days: -70), what: "korttidsvistelse på Björkbacken", accepted: false)],
             "Ingen ledig plats med rätt kompetens; erbjudandet om Björkbacken avböjdes (för långt från skolan)."),
        ]
        for item in notCarriedOut {
            guard let index = caseload.clients.firstIndex(where: { $0.name == item.name }) else { continue }
            let decided = today.adding(days: item.decided)
            // Planned to start a month after the decision (the next month's group at the dagverksamhet).
            var decision = Decision(id: caseload.makeID("d"), law: item.law, service: item.service,
                                    validFrom: decided.adding(days: 30))
            decision.decidedOn = decided
            // The verkställighet ladder: the order was confirmed; the start and the escalation
            // to the enhetschef are still open.
            decision.orderConfirmedOn = WorkingDays.adding(workingDays: 2, to: decided)
            decision.offers = item.offers
            decision.delayReason = item.reason
            if item.reason != nil { decision.consequences = "Anhöriga avlastas inte; risk för att familjen inte orkar." }
            caseload.clients[index].decisions.append(decision)
        }
        // A trygghetslarm granted yesterday: the ladder's first step, the order confirmed by the
        // provider, is due within two working days.
        if let index = caseload.clients.firstIndex(where: { $0.name == "Elsa Forsberg" }) {
            var alarm = Decision(id: caseload.makeID("d"), law: .sol, service: "trygghetslarm", validFrom: today.adding(days: -1))
            alarm.decidedOn = today.adding(days: -1)
            alarm.provider = Provider(name: "Trygghetscentralen", regi: .municipal)
            caseload.clients[index].decisions.append(alarm)
        }
        if let index = caseload.clients.firstIndex(where: { $0.name == "Arne Hedlund" }), !caseload.clients[index].decisions.isEmpty {
            caseload.clients[index].decisions[0].interruptions = [
                Interruption(from: today.adding(days: -100), reason: "sjukhusvistelse; insatsen pausad på den enskildes begäran"),
            ]
        }
        // A representative and a hand-made reminder, so those screens have something to show.
        if let index = caseload.clients.firstIndex(where: { $0.name == "Leo Karlsson" }) {
            caseload.clients[index].representative = Representative(name: "Birgitta Karlsson", role: "god man")
        }
        if let index = caseload.clients.firstIndex(where: { $0.name == "Gösta Berg" }) {
            let id = caseload.makeID("r")
            caseload.clients[index].reminders.append(Reminder(
                id: id, kind: .manual, due: today.adding(days: 3),
                text: "Ring dottern om inflyttningen", priority: .high))
        }
        return caseload
    }
}
