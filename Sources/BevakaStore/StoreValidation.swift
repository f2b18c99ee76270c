import BevakaDomain

extension StoreCodec {
    /// What a readable store must also be: every person's id and personnummer once, and an IVO
    /// identifier that is nobody's personnummer and nobody else's. A store that is not is refused
    /// like a damaged one (with the line and the id), never used: the IVO report would attribute
    /// one person's decision to another. A personnummer must hold a date and a right check digit;
    /// an IVO identifier must be in IVO's form for the person, or in the form an older Bevaka wrote
    /// (`ÅÅÅÅMMDD-XU29`), which the next IVO report replaces once and names.
    struct Validator {
        var ids: Set<String> = []
        var numbers: [String: String] = [:]
        var ivoIDs: [String: String] = [:]
        var index = 0
        let path: String
        let backup: String?
        /// Bevaka's own layout: person n (from 0) stands on line n + 2.
        let lineByLine: Bool

        mutating func check(_ clients: [Client]) throws(StoreError) {
            for client in clients {
                defer { index += 1 }
                // The id as a message may show it, made only for a message (not for every person read).
                func damaged(_ detail: String) -> StoreError {
                    let id = TerminalText.maskPersonalNumbers(TerminalText.sanitize(client.id))
                    return .damaged(path: path, line: lineByLine ? index + 2 : nil, column: nil, detail: "ärende \(id): \(detail)", backup: backup)
                }
                guard ids.insert(client.id).inserted else { throw damaged("samma id finns två gånger") }
                if let other = numbers[client.personnummer.digits] {
                    throw damaged("samma personnummer som ärende \(TerminalText.maskPersonalNumbers(TerminalText.sanitize(other)))")
                }
                numbers[client.personnummer.digits] = client.id
                guard client.personnummer.hasPlausibleDate else { throw damaged("personnumret har inget giltigt födelsedatum") }
                guard client.personnummer.hasValidCheckDigit || client.personnummer.isWithoutSwedishNumber else {
                    throw damaged("personnumrets kontrollsiffra stämmer inte")
                }
                if let ivo = client.ivoID {
                    if Personnummer.occurs(in: ivo) { throw damaged("IVO-id:t är ett personnummer") }
                    guard IVOIdentifier.isValid(ivo, for: client.personnummer) || IVOIdentifier.isOlderBevakaForm(ivo, for: client.personnummer) else {
                        throw damaged("IVO-id:t har inte IVO:s form (ÅÅÅÅMMDD-T och tre siffror, födelsedatumet och könet personens)")
                    }
                    if let other = ivoIDs[ivo] {
                        throw damaged("samma IVO-id som ärende \(TerminalText.maskPersonalNumbers(TerminalText.sanitize(other)))")
                    }
                    ivoIDs[ivo] = client.id
                }
            }
        }
    }
}
