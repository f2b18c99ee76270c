import BevakaDomain

/// A form saves what the user changed, nothing else.
///
/// A form is filled from the person as they were when it opened. Meanwhile a colleague may have
/// saved the same person (the shared store merges their change into the app). Saving every field
/// from the opening snapshot would undo the colleague's change on purpose, as far as any merge
/// can tell. So before a form that edits something already there is saved, each field is taken
/// from the person as they are now unless the user changed it; a field both changed differently
/// is asked about.
public struct FormConflict: Equatable, Sendable {
    public var key: FieldKey
    public var label: String
    public var mine: String
    public var theirs: String
}

extension AppState {
    /// The fields of the form's purpose as the person stands now; nil for a form that adds
    /// something new (nothing of it can have been changed by anyone else).
    func currentFields(_ purpose: FormState.Purpose) -> [FormField]? {
        switch purpose {
        case .editClient(let id):
            return client(id).map { AppState.clientFormFields($0) }
        case .editDecision(let clientID, let decisionID):
            guard let decision = client(clientID)?.decisions.first(where: { $0.id == decisionID }) else { return nil }
            return decisionFormFields(decision)
        case .plan(let clientID, let decisionID):
            guard let decision = client(clientID)?.decisions.first(where: { $0.id == decisionID }) else { return nil }
            return AppState.planFormFields(decision.plan)
        case .booking(let clientID, _):
            return client(clientID).map(bookingFormFields)
        case .newClient, .newDecision, .performed, .close, .offer, .interruption:
            return nil
        }
    }

    /// The form with every field the user left alone brought up to the person as they are now,
    /// and the fields both the user and someone else changed, differently.
    func reconcile(_ form: FormState) -> (form: FormState, conflicts: [FormConflict]) {
        guard let now = currentFields(form.purpose) else { return (form, []) }
        let current = Dictionary(now.map { ($0.key, $0.initial) }, uniquingKeysWith: { first, _ in first })
        var result = form
        var conflicts: [FormConflict] = []
        for index in result.fields.indices {
            let field = result.fields[index]
            guard let theirs = current[field.key] else { continue }
            let typed = field.text.trimmingCharacters(in: .whitespaces)
            let opened = field.initial.trimmingCharacters(in: .whitespaces)
            let standing = theirs.trimmingCharacters(in: .whitespaces)
            if typed == opened {
                if standing != opened { result.fields[index].editor = LineEditor(theirs) }
            } else if standing != opened && standing != typed {
                conflicts.append(FormConflict(key: field.key, label: field.label, mine: field.text, theirs: theirs))
            }
        }
        return (result, conflicts)
    }

    /// Saves a checked form: without a conflict at once; with one, the user is asked first.
    mutating func saveReconciled(_ form: FormState, _ values: FormValues) -> [Effect] {
        if currentFields(form.purpose) == nil, form.edits {
            // Handed over, a cover ended, or the decision was removed while the form was open.
            self.form = nil
            screen = client(form.clientID ?? "") == nil ? .caseload : .caseDetail
            message = "Det du ändrade finns inte längre i din lista (handläggarbyte, avslutat vikariat eller borttaget); ändringarna sparades inte."
            messageIsError = true
            return []
        }
        let (reconciled, conflicts) = reconcile(form)
        guard !conflicts.isEmpty, let clientID = form.clientID else {
            if reconciled == form { return commitForm(form, values) }
            // Fields taken from the person as they are now are checked as if typed.
            self.form = reconciled
            return saveForm(reconciling: false)
        }
        self.form = reconciled
        let who = changedBy[clientID].map(AppState.firstName) ?? "En kollega"
        let what = conflicts.map { conflict in
            let value = conflict.theirs.isEmpty ? "tomt" : "till \(TerminalText.sanitize(conflict.theirs))"
            return "\(conflict.label) (\(value))"
        }.joined(separator: ", ")
        push(.choice(Choice("\(who) ändrade också \(what) medan du skrev.", [
            .init(conflicts.count == 1 ? "Behåll din (\(conflicts[0].mine.isEmpty ? "tomt" : TerminalText.sanitize(conflicts[0].mine)))"
                                       : "Behåll dina", .resolveFormConflict(conflicts, keepMine: true)),
            .init("Behåll \(AppState.genitive(who))", .resolveFormConflict(conflicts, keepMine: false)),
        ])))
        return []
    }

    /// The user's answer: their value or the colleague's for each field both changed.
    mutating func resolveFormConflict(_ conflicts: [FormConflict], keepMine: Bool) -> [Effect] {
        guard var form = self.form else { return [] }
        for conflict in conflicts {
            guard let index = form.fields.firstIndex(where: { $0.key == conflict.key }) else { continue }
            form.fields[index].editor = LineEditor(keepMine ? conflict.mine : conflict.theirs)
        }
        // Checked again: the colleague's value may be one this form would not take as typed.
        self.form = form
        return saveForm(reconciling: false)
    }

    static func firstName(_ name: String) -> String {
        let clean = TerminalText.sanitize(name)
        return clean.split(separator: " ").first.map(String.init) ?? clean
    }

    /// "Bos", "Annas", "Lars" (a name ending in s, x or z takes no extra s).
    static func genitive(_ name: String) -> String { UnitContext.genitive(name) }
}
