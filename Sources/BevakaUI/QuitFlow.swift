import BevakaDomain

/// Quitting while saves fail (a full disk, a lost folder): the changes exist only in memory, so
/// leaving is never silent. The user is told why and whose changes would be lost, and chooses:
/// try again, save a copy elsewhere, or quit and lose them. Esc goes back to work; the saver
/// keeps retrying meanwhile.
extension AppState {
    mutating func askBeforeLosingChanges(reason: String?, unsavedClientIDs: [String]) {
        quitting = false
        // The store's reason is a whole sentence of its own.
        let why = reason.map { " " + $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let ending = why.isEmpty || why.hasSuffix(".") ? "" : "."
        push(.choice(Choice("Ändringarna kunde inte sparas.\(why)\(ending) Osparat: \(unsavedDescription(unsavedClientIDs)).", [
            .init("Försök spara igen", .retrySaveAndQuit),
            .init("Spara en kopia i en annan fil …", .askCopyPath(unsaved: unsavedClientIDs)),
            .init("Avsluta och förlora ändringarna", .quitLosingChanges),
        ], escape: .say("Bevaka försöker spara igen var 3:e sekund. Frigör utrymme, avsluta sedan."))))
    }

    /// Whose changes are unsaved, by name; in hembesöksläge only the visited person is named
    /// (the others are counted), as everywhere in that mode.
    func unsavedDescription(_ ids: [String]) -> String {
        guard !ids.isEmpty else { return "ändringar i ärendelistan" }
        let visited = homeVisitActive ? openClientID : nil
        var named: [String] = []
        var others = 0
        for id in ids {
            if let person = client(id), visited == nil || visited == id, named.count < 3 {
                named.append(TerminalText.sanitize(person.name))
            } else {
                others += 1
            }
        }
        var text = named.isEmpty ? "" : "ändringar för " + named.joined(separator: ", ")
        if others > 0 {
            let people = others == 1 ? "1 annan person" : "\(others) andra personer"
            text += named.isEmpty ? "ändringar för \(people)" : " och \(people)"
        }
        return text
    }
}
