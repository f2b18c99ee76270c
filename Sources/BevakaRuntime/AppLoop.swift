import BevakaDomain
import BevakaStore
import BevakaUI
import Foundation

public enum BackendEvent: Equatable, Sendable {
    case key(Key)
    case resize
    case timeout
}

/// What the main loop needs from a terminal. The ncurses backend implements it; tests use a fake.
public protocol TerminalBackend {
    var size: (width: Int, height: Int) { get }
    mutating func draw(_ buffer: CellBuffer)
    mutating func nextEvent(timeoutMilliseconds: Int) -> BackendEvent
    /// SIGTERM or SIGHUP arrived: save and leave.
    mutating func terminationRequested() -> Bool
    /// Puts text on the terminal's clipboard (OSC 52).
    mutating func copyToClipboard(_ text: String)
    /// Hands the terminal to another program (the user's editor) and takes it back.
    mutating func suspend()
    mutating func resume()
}

extension TerminalBackend {
    public mutating func suspend() {}
    public mutating func resume() {}
}

/// The main loop: draw, wait for a key (with a timeout so saves, signals and midnight are noticed),
/// reduce, perform the effects.
public struct AppLoop<Backend: TerminalBackend> {
    public var state: AppState
    public var backend: Backend
    public let saver: Saver?
    public let clock: @Sendable () -> Date
    /// nil when the date is fixed (`--today`).
    public let currentDay: (@Sendable () -> Day)?
    /// For `~` in file names.
    public let environment: [String: String]
    /// Where a copy of the caseload was written when the store could not be saved and the user quit.
    public private(set) var savedCopy: String?
    /// Where the shared store kept changes the server did not take before the app closed.
    public private(set) var recoveryFile: String?
    /// How many changes made elsewhere the state has taken in (the saver rebases older submissions).
    private var appliedElsewhere = 0
    /// The person whose opening was last sent to the access log; nil once the user left the case.
    private var loggedOpen: String?
    /// The store's unit generation last taken into the state.
    private var unitGeneration = 0
    /// Another program had the terminal: draw everything again.
    private var needsRedraw = false
    /// An import running in the background, polled every turn of the loop.
    private var importJob: ImportJob?
    /// When the last key came, for keeping text being written once typing pauses.
    private var lastKey = Date.distantPast
    /// Seconds of no typing after which the answer being written is kept.
    static var keepTextAfter: TimeInterval { 1.5 }

    public init(state: AppState, backend: Backend, saver: Saver?, clock: @escaping @Sendable () -> Date,
                currentDay: (@Sendable () -> Day)?, environment: [String: String] = [:]) {
        self.state = state
        self.backend = backend
        self.saver = saver
        self.clock = clock
        self.currentDay = currentDay
        self.environment = environment
    }

    /// Runs until quit or a termination signal. Returns true when everything was saved.
    public mutating func run() -> Bool {
        let size = backend.size
        if let finished = dispatch(.resize(width: size.width, height: size.height)) { return finished }
        var lastDrawn: CellBuffer?
        while true {
            let frame = render(state)
            if needsRedraw {
                lastDrawn = nil
                needsRedraw = false
            }
            if frame != lastDrawn {
                backend.draw(frame)
                lastDrawn = frame
            }
            if backend.terminationRequested() {
                // The terminal closed (SIGHUP) or the system asks (SIGTERM): text being written
                // is kept with the caseload before the last save.
                if let finished = dispatch(.keepUnsavedText) { return finished }
                return leave()
            }
            // While an import runs, wake often enough for a smooth progress bar.
            let event = backend.nextEvent(timeoutMilliseconds: importJob == nil ? 250 : 50)
            switch event {
            case .key(let key):
                lastKey = clock()
                if let finished = dispatch(.key(key)) { return finished }
            case .resize:
                let size = backend.size
                if let finished = dispatch(.resize(width: size.width, height: size.height)) { return finished }
                lastDrawn = nil
            case .timeout:
                // Typing paused a moment: the answer being written is kept (debounced).
                if state.textEditing != nil, clock().timeIntervalSince(lastKey) >= AppLoop.keepTextAfter {
                    if let finished = dispatch(.keepUnsavedText) { return finished }
                }
            }
            if let job = importJob {
                let polled = job.poll()
                if let outcome = polled.outcome {
                    importJob = nil
                    if let finished = dispatch(.importFinished(outcome)) { return finished }
                } else {
                    if let finished = dispatch(.importProgress(done: polled.done, total: polled.total)) { return finished }
                }
            }
            if let saver {
                for outcome in saver.takeOutcomes() {
                    switch outcome {
                    case .saved(let date): if let finished = dispatch(.saved(at: AppLoop.time(date))) { return finished }
                    case .failed(let reason): if let finished = dispatch(.saveFailed(reason)) { return finished }
                    case .changedElsewhere(let change, let sequence):
                        if let finished = dispatch(.changedElsewhere(change, time: AppLoop.time(change.at))) { return finished }
                        appliedElsewhere = max(appliedElsewhere, sequence)
                    case .opened(let client):
                        if let finished = dispatch(.opened(client)) { return finished }
                    case .reassigned(let clientID, let to, let error):
                        if let finished = dispatch(.reassigned(clientID: clientID, to: to, error: error)) { return finished }
                    case .notice(let text):
                        if let finished = dispatch(.storeNotice(text)) { return finished }
                    case .gallrad(let ids, let outside, let error):
                        if let finished = dispatch(.gallrad(ids: ids, outside: outside, error: error)) { return finished }
                    }
                }
                // Every opening of a person's full case goes to the access log (shared store).
                let viewed = state.viewedCase
                if viewed?.clientID != loggedOpen {
                    loggedOpen = viewed?.clientID
                    if let viewed { saver.recordOpen(viewed.clientID, what: viewed.what) }
                }
                let generation = saver.unitGeneration
                if generation != unitGeneration {
                    unitGeneration = generation
                    if let unit = saver.unitContext(), unit != state.unit { if let finished = dispatch(.unitChanged(unit)) { return finished } }
                }
                saver.retryIfDue()
                saver.pollChangesElsewhere()
            }
            if let currentDay {
                let day = currentDay()
                if day != state.today { if let finished = dispatch(.newDay(day)) { return finished } }
            }
        }
    }

    /// Saves what is left before leaving without a question (a termination signal); what cannot
    /// be saved goes to the shared store's recovery file when there is one.
    mutating func leave() -> Bool {
        guard let saver else { return true }
        if saver.flush() { return true }
        recoveryFile = saver.keepForRecovery()
        return false
    }

    /// Every action goes through here: reduce, then each effect it returns carried out (none is
    /// dropped). Returns the loop's result when an effect ends the loop.
    mutating func dispatch(_ action: Action) -> Bool? {
        for effect in reduce(&state, action) {
            if let finished = perform(effect) { return finished }
        }
        return nil
    }

    /// Carries out one effect. Returns the loop's result when the effect ends the loop.
    mutating func perform(_ effect: Effect) -> Bool? {
        switch effect {
        case .save(let caseload): saver?.submit(caseload, applied: appliedElsewhere)
        case .quit:
            guard let saver else { return true }
            if saver.flush() { return true }
            // The shared store keeps what the server did not take, to send at the next start.
            if let kept = saver.keepForRecovery() {
                recoveryFile = kept
                return false
            }
            // Never leave silently with changes only in memory: ask.
            if let finished = dispatch(.quitBlocked(reason: saver.failureReason ?? "okänt fel",
                                            unsavedClientIDs: saver.unsavedClientIDs())) { return finished }
        case .quitDiscarding:
            return saver?.flush() ?? true
        case .copy(let text): backend.copyToClipboard(text)
        case .reassign(let clientID, let role): saver?.reassign(clientID: clientID, to: role)
        case .gallra(let ids): saver?.gallra(ids: ids)
        case .completePath(let typed):
            let candidates = UIMemory.completions(typed, environment: environment)
            if let finished = dispatch(.pathCompleted(typed: typed, candidates: candidates)) { return finished }
        case .rememberImportFolder(let folder):
            UIMemory.rememberImportFolder(folder, environment: environment)
        case .editExternally(let text):
            backend.suspend()
            let result = ExternalEditor.edit(text, environment: environment)
            backend.resume()
            needsRedraw = true
            switch result {
            case .success(let edited): return dispatch(.externalEdit(text: edited, error: nil))
            case .failure(let failure): return dispatch(.externalEdit(text: nil, error: failure.message))
            }
        case .importFile(let path, let caseload, let assumption, let namesAnyway):
            importJob = ImportJob(path: path, caseload: caseload, routines: state.routines, today: state.today,
                                  environment: environment, storePath: state.storePath, startAssumption: assumption,
                                  namesAnyway: namesAnyway)
        case .writeFile(let path, let contents):
            do {
                let written = try DocumentFile.write(contents, to: path, environment: environment)
                if let finished = dispatch(.fileWritten(path: written)) { return finished }
            } catch {
                if let finished = dispatch(.fileFailed(error.message)) { return finished }
            }
        case .saveCopy(let path, let caseload, let unsaved):
            guard let data = try? StoreCodec.encode(caseload) else {
                if let finished = dispatch(.copyFailed("Ärendelistan kunde inte kodas för kopian.", unsaved: unsaved)) { return finished }
                return nil
            }
            do {
                savedCopy = try DocumentFile.write(String(decoding: data, as: UTF8.self), to: path, environment: environment)
                // The copy holds every change; leaving now loses nothing (the store stays as it was).
                return saver?.flush() ?? true
            } catch {
                if let finished = dispatch(.copyFailed(error.message, unsaved: unsaved)) { return finished }
            }
        }
        return nil
    }

    static func time(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d", parts.tm_hour, parts.tm_min)
    }
}
