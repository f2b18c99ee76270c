import BevakaDomain
import BevakaStore
import Foundation

/// The CSV import from the Ärenden screen: the same import as `bevaka import`, read and checked
/// in the background with a progress bar, then a preview of what it would do (new people, new and
/// changed decisions, rejected rows); Enter imports, Esc cancels and nothing is written.
extension AppState {
    mutating func finishImport(_ outcome: ImportOutcome) -> [Effect] {
        let file = importing?.file ?? ""
        dismiss(.importing)
        switch outcome {
        case .failed(let reason):
            message = reason
            messageIsError = true
            return []
        case .imported(let imported, let report, let fullPath):
            let lines = AppState.previewLines(before: caseload, after: imported, report: report, file: fullPath)
            put(.importPreview(ImportPreview(file: file, caseload: imported, lines: lines, changed: report.changedAnything,
                                          rejected: report.rejected.count,
                                          summary: ImportSummary.text(report, file: fullPath, dryRun: false, storePath: storePath),
                                          path: fullPath, startAssumption: report.startAssumption,
                                          nameMismatches: report.nameMismatches.count, namesAnyway: report.nameMismatchesImported)))
            message = report.changedAnything
                ? "Förhandsvisning: ingenting är sparat ännu. Enter läser in, Esc avbryter."
                : "Filen ändrar ingenting\(report.rejected.isEmpty ? "" : "; \(AppState.rows(report.rejected.count)) avvisas"). Esc stänger."
            messageIsError = !report.rejected.isEmpty
            return []
        }
    }

    /// "1 rad", "3 rader".
    static func rows(_ count: Int) -> String { count == 1 ? "1 rad" : "\(count) rader" }

    /// What the import would do, person by person: names, services and dates, never a personnummer.
    static func previewLines(before: Caseload, after: Caseload, report: CaseloadImport.Report, file: String) -> [String] {
        var lines = ["Från \(TerminalText.sanitize(file)): \(report.rowsRead) rader (\(ImportSummary.source(report))).", ""]
        if let hidden = ImportSummary.hiddenNote(report) { lines += [hidden, ""] }
        if let others = ImportSummary.otherListsNote(report) { lines += [others, ""] }
        // A list that does not say whether the decisions are carried out: the user decides.
        switch report.startAssumption {
        case .fromStart?:
            lines += ["Filen har ingen kolumn verkstallt. Nya beslut räknas som verkställda från beslutets startdatum "
                      + "(\(report.assumedStarted) beslut). v: räkna dem i stället som ej verkställda.", ""]
        case .notStarted?:
            lines += ["Filen har ingen kolumn verkstallt. Nya beslut räknas som ej verkställda och följs upp som sådana "
                      + "(rapporteras till IVO efter tre månader). v: räkna dem i stället som verkställda från startdatum.", ""]
        case nil:
            break
        }
        let old = Dictionary(before.clients.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var newPeople: [String] = [], newDecisions: [String] = [], changedDecisions: [String] = []
        func describe(_ decision: Decision) -> String {
            "\(decision.service) (\(decision.law == .lss ? "LSS" : "SoL")) \(decision.validFrom)–\(decision.validTo?.description ?? "tillsvidare")"
        }
        for client in after.clients {
            let name = TerminalText.sanitize(client.name)
            guard let earlier = old[client.id] else {
                newPeople.append("  \(name), född \(client.personnummer.masked.prefix(8))")
                newDecisions += client.decisions.map { "  \(name): \(describe($0))" }
                continue
            }
            guard earlier != client else { continue }
            let known = Dictionary(earlier.decisions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for decision in client.decisions {
                if let previous = known[decision.id] {
                    if previous != decision { changedDecisions.append("  \(name): \(describe(decision))") }
                } else {
                    newDecisions.append("  \(name): \(describe(decision))")
                }
            }
        }
        func section(_ title: String, _ items: [String]) {
            lines.append("\(title) (\(items.count))" + (items.isEmpty ? "" : ":"))
            lines += items
            lines.append("")
        }
        section("Nya personer", newPeople)
        section("Nya beslut", newDecisions)
        section("Ändrade beslut", changedDecisions)
        if report.newFollowUps > 0 { lines += ["Nya uppföljningar i historiken: \(report.newFollowUps).", ""] }
        if let dropped = ImportSummary.droppedNumbersNote(report) {
            lines += ["OBS: " + dropped + " Enter läser in resten ändå; Esc avbryter så att du kan byta rubrik.", ""]
        }
        for near in report.nearMatches {
            lines += ["Menade du \(near.column) med \"\(near.heading)\"?", ""]
        }
        if !report.ignoredColumns.isEmpty {
            lines += ["Okända kolumner som inte läses in: \(report.ignoredColumns.joined(separator: ", ")).", ""]
        }
        if let note = ImportSummary.pastGallringNote(report) { lines += [note, ""] }
        if !report.nameMismatches.isEmpty {
            section(report.nameMismatchesImported
                        ? "Namnet stämmer inte med personnumret, läses in ändå på personen med numret (n: hoppa över dem)"
                        : "Namnet stämmer inte med personnumret, läses inte in (n: läs in dem ändå)",
                    report.nameMismatches.map { "  " + $0.message })
        }
        if !report.warnings.isEmpty { section("Att kontrollera", report.warnings.map { "  " + $0 }) }
        section("Avvisade rader, som inte läses in", report.rejected.map { "  " + $0.message })
        lines.append(report.changedAnything ? "Enter läser in detta. Esc avbryter: ingenting skrivs."
                     : "Filen ändrar ingenting i ärendelistan. Esc stänger.")
        return lines
    }

    /// Keys while the preview is shown: Enter imports, Esc cancels, the list keys scroll.
    mutating func handleImportPreview(_ key: Key) -> [Effect] {
        guard let preview = importPreview else { return [] }
        switch key {
        case .enter:
            dismiss(.importPreview)
            var lines = preview.summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while lines.last == "" { lines.removeLast() }
            var effects: [Effect] = []
            if preview.changed {
                // One undo takes the whole import back.
                effects = mutate("Importen av \(preview.file) är klar\(preview.rejected > 0 ? "; \(AppState.rows(preview.rejected)) avvisades" : "").") {
                    $0 = preview.caseload
                }
            } else {
                message = "Importen ändrade ingenting\(preview.rejected > 0 ? "; \(AppState.rows(preview.rejected)) avvisades" : "")."
            }
            messageIsError = preview.rejected > 0
            openDocument(.importReport(lines: lines))
            return effects
        case .character("v") where preview.startAssumption != nil:
            // Read again with the other answer to what the list means.
            dismiss(.importPreview)
            put(.importing(ImportProgress(file: preview.file, done: 0, total: 0)))
            return [.importFile(path: preview.path, into: caseload,
                                assuming: preview.startAssumption == .fromStart ? .notStarted : .fromStart,
                                namesAnyway: preview.namesAnyway)]
        case .character("n") where preview.nameMismatches > 0:
            // Read again, with the rows whose name does not match taken in (or left out again).
            dismiss(.importPreview)
            put(.importing(ImportProgress(file: preview.file, done: 0, total: 0)))
            return [.importFile(path: preview.path, into: caseload, assuming: preview.startAssumption ?? .fromStart,
                                namesAnyway: !preview.namesAnyway)]
        case .escape, .character("q"):
            dismiss(.importPreview)
            message = "Importen avbröts; ingenting skrevs."
            messageIsError = false
            return []
        default:
            if !scrollPage(key, lines: importPreviewLines.count) { message = "Enter läser in, Esc avbryter." }
        }
        return []
    }

    /// The preview's lines wrapped to the window.
    var importPreviewLines: [String] {
        (importPreview?.lines ?? []).flatMap { line -> [String] in
            line.isEmpty ? [""] : wrap(line, width: max(10, width - 4)).enumerated().map {
                $0.offset == 0 ? $0.element : (line.hasPrefix("  ") ? "    " : "  ") + $0.element
            }
        }
    }

    /// Tab in the file prompt: the runtime lists the folder and answers with `pathCompleted`.
    mutating func takeCompletion(_ typed: String, candidates: [String]) {
        guard var current = prompt, current.purpose == .importFile, current.editor.text == typed else { return }
        guard !candidates.isEmpty else {
            current.error = "Ingen fil eller mapp börjar så."
            put(.prompt(current))
            return
        }
        let folder = typed.contains("/") ? String(typed[...(typed.lastIndex(of: "/") ?? typed.startIndex)]) : ""
        var common = candidates[0]
        for candidate in candidates.dropFirst() {
            common = String(zip(common, candidate).prefix { $0 == $1 }.map(\.0))
        }
        current.editor = LineEditor(folder + common)
        current.error = candidates.count > 1
            ? "\(candidates.count) träffar: " + candidates.prefix(24).joined(separator: "  ")
                + (candidates.count > 24 ? "  … och \(candidates.count - 24) till; skriv fler tecken" : "")
            : nil
        put(.prompt(current))
    }
}


func drawImportPreview(_ state: AppState, _ preview: ImportPreview, into buffer: inout CellBuffer) {
    let lines = state.importPreviewLines
    let rows = state.helpRows
    let top = min(preview.scroll, max(0, lines.count - rows))
    let shown = top..<min(lines.count, top + rows)
    let position = lines.count > rows ? "rad \(shown.lowerBound + 1)–\(shown.upperBound) av \(lines.count)" : ""
    buffer.put("Förhandsvisning av importen – ingenting är sparat", x: 1, y: 1, role: .header,
               maxWidth: state.width - 3 - TerminalText.width(position))
    if !position.isEmpty { buffer.put(position, x: state.width - TerminalText.width(position) - 1, y: 1, role: .muted) }
    for (offset, index) in shown.enumerated() {
        let line = lines[index]
        let role: Role = line.hasPrefix(" ") ? .normal : line.hasPrefix("Avvisade") && preview.rejected > 0 ? .warning : .header
        buffer.put(line, x: 2, y: 3 + offset, role: line.isEmpty ? .normal : role, maxWidth: state.width - 3)
    }
}

func drawImportProgress(_ progress: ImportProgress, state: AppState, into buffer: inout CellBuffer) {
    let width = min(state.width - 4, 60)
    let left = (state.width - width) / 2
    let top = state.height / 2 - 2
    for y in top..<(top + 5) { buffer.fill(row: y, from: left, to: left + width, role: .normal) }
    buffer.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: left, y: top, role: .border)
    buffer.put("└" + String(repeating: "─", count: width - 2) + "┘", x: left, y: top + 4, role: .border)
    for y in (top + 1)...(top + 3) {
        buffer.put("│", x: left, y: y, role: .border)
        buffer.put("│", x: left + width - 1, y: y, role: .border)
    }
    buffer.put("Läser in \(progress.file)", x: left + 2, y: top + 1, role: .header, maxWidth: width - 4)
    let barWidth = width - 16
    let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 0
    let filled = Int((Double(barWidth) * fraction).rounded(.down))
    buffer.put(String(repeating: "█", count: filled), x: left + 2, y: top + 2, role: .bar)
    buffer.put(String(repeating: "░", count: barWidth - filled), x: left + 2 + filled, y: top + 2, role: .muted)
    buffer.put(" \(Int(fraction * 100)) %", x: left + 2 + barWidth, y: top + 2, role: .normal)
    buffer.put(progress.total > 0 ? "\(progress.done) av \(progress.total) rader" : "läser filen…",
               x: left + 2, y: top + 3, role: .muted, maxWidth: width - 4)
}

/// A path typed into a prompt that starts in a folder.
enum PathInput {
    /// A path pasted after the folder the prompt starts in begins again where it starts anew, as
    /// in Emacs's find-file: `/home/anna//tmp/lista.xlsx` is `/tmp/lista.xlsx`, and
    /// `/home/anna/~/lista.xlsx` is `~/lista.xlsx`.
    static func restarted(_ text: String) -> String {
        var result = Substring(text)
        if let restart = result.range(of: "//", options: .backwards) { result = result[result.index(before: restart.upperBound)...] }
        if let home = result.range(of: "/~/", options: .backwards) { result = result[result.index(after: home.lowerBound)...] }
        return String(result)
    }
}
