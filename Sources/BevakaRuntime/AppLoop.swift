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
    /// Waits as `nextEvent` does, and also returns `.timeout` as soon as `wakeDescriptor` becomes
    /// readable (a message was posted to the loop's inbox).
    mutating func nextEvent(timeoutMilliseconds: Int, wakeDescriptor: Int32) -> BackendEvent
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
    /// A backend that cannot wait on the descriptor takes messages at the tick.
    public mutating func nextEvent(timeoutMilliseconds: Int, wakeDescriptor: Int32) -> BackendEvent {
        nextEvent(timeoutMilliseconds: timeoutMilliseconds)
    }
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
    /// The store's unit generation last taken into the state.
    private var unitGeneration = 0
    /// Another program had the terminal: draw everything again.
    private var needsRedraw = false
    /// What background work sends back (the saver's, or the loop's own without one).
    private let inbox: Inbox
    /// Actions waiting to be reduced, oldest first: a key, a message, what an effect gave back.
    private var queued: [Action] = []
    /// Set by the effect that ends the loop: true when everything was saved.
    private var finished: Bool?
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
        self.inbox = saver?.inbox ?? Inbox()
    }

    /// Runs until quit or a termination signal. Returns true when everything was saved.
    ///
    /// Each turn: draw, wait for a key or a message (or the tick), then reduce everything queued —
    /// the key, the inbox's messages, the day — carrying out each effect, whose own results are
    /// queued in turn. Nothing is polled but the shared store's listener, midnight and signals.
    public mutating func run() -> Bool {
        let size = backend.size
        queue(.resize(width: size.width, height: size.height))
        // A case on the screen from the start is an opening too.
        if let viewed = state.viewedCase { perform(.recordOpen(clientID: viewed.clientID, what: viewed.what)) }
        if let finished = settle() { return finished }
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
                queue(.keepUnsavedText)
                if let finished = settle() { return finished }
                return leave()
            }
            switch backend.nextEvent(timeoutMilliseconds: 250, wakeDescriptor: inbox.wakeDescriptor) {
            case .key(let key):
                lastKey = clock()
                queue(.key(key))
            case .resize:
                let size = backend.size
                queue(.resize(width: size.width, height: size.height))
                lastDrawn = nil
            case .timeout:
                // Typing paused a moment: the answer being written is kept (debounced).
                if state.textEditing != nil, clock().timeIntervalSince(lastKey) >= AppLoop.keepTextAfter {
                    queue(.keepUnsavedText)
                }
            }
            for message in inbox.drain() { take(message) }
            if let saver {
                let generation = saver.unitGeneration
                if generation != unitGeneration {
                    unitGeneration = generation
                    if let unit = saver.unitContext(), unit != state.unit { queue(.unitChanged(unit)) }
                }
                saver.retryIfDue()
                // A safety net: changes are fetched as soon as the store hears of them.
                saver.pollChangesElsewhere()
            }
            if let currentDay {
                let day = currentDay()
                if day != state.today { queue(.newDay(day)) }
            }
            if let finished = settle() { return finished }
        }
    }

    /// A message from background work, as the action it means.
    mutating func take(_ message: Message) {
        switch message {
        case .importProgress(let done, let total): queue(.importProgress(done: done, total: total))
        case .importFinished(let outcome): queue(.importFinished(outcome))
        case .saver(let outcome):
            switch outcome {
            case .saved(let date): queue(.saved(at: AppLoop.time(date)))
            case .failed(let reason): queue(.saveFailed(reason))
            case .changedElsewhere(let change, let sequence):
                queue(.changedElsewhere(change, time: AppLoop.time(change.at)))
                appliedElsewhere = max(appliedElsewhere, sequence)
            case .opened(let client): queue(.opened(client))
            case .reassigned(let clientID, let to, let error): queue(.reassigned(clientID: clientID, to: to, error: error))
            case .notice(let text): queue(.storeNotice(text))
            case .gallrad(let ids, let outside, let error): queue(.gallrad(ids: ids, outside: outside, error: error))
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

    mutating func queue(_ action: Action) {
        queued.append(action)
    }

    /// Reduces everything queued, in order, carrying out each effect (none is dropped; what an
    /// effect gives back is queued behind). Returns the loop's result once an effect ended it.
    mutating func settle() -> Bool? {
        while finished == nil, !queued.isEmpty {
            let action = queued.removeFirst()
            for effect in reduce(&state, action) where finished == nil {
                perform(effect)
            }
        }
        return finished
    }

    /// Carries out one effect: its result, if any, is queued; an effect that ends the loop sets
    /// `finished`.
    mutating func perform(_ effect: Effect) {
        switch effect {
        case .save(let caseload): saver?.submit(caseload, applied: appliedElsewhere)
        case .quit:
            guard let saver else { finished = true; return }
            if saver.flush() { finished = true; return }
            // The shared store keeps what the server did not take, to send at the next start.
            if let kept = saver.keepForRecovery() {
                recoveryFile = kept
                finished = false
                return
            }
            // Never leave silently with changes only in memory: ask.
            queue(.quitBlocked(reason: saver.failureReason ?? "okänt fel", unsavedClientIDs: saver.unsavedClientIDs()))
        case .quitDiscarding:
            finished = saver?.flush() ?? true
        case .copy(let text): backend.copyToClipboard(text)
        case .reassign(let clientID, let role): saver?.reassign(clientID: clientID, to: role)
        case .gallra(let ids): saver?.gallra(ids: ids)
        case .recordOpen(let clientID, let what):
            // Every opening of a person's full case goes to the access log (shared store).
            saver?.recordOpen(clientID, what: what)
        case .completePath(let typed):
            queue(.pathCompleted(typed: typed, candidates: UIMemory.completions(typed, environment: environment)))
        case .rememberImportFolder(let folder):
            UIMemory.rememberImportFolder(folder, environment: environment)
        case .editExternally(let text):
            backend.suspend()
            let result = ExternalEditor.edit(text, environment: environment)
            backend.resume()
            needsRedraw = true
            switch result {
            case .success(let edited): queue(.externalEdit(text: edited, error: nil))
            case .failure(let failure): queue(.externalEdit(text: nil, error: failure.message))
            }
        case .importFile(let path, let caseload, let assumption, let namesAnyway):
            ImportJob.start(path: path, caseload: caseload, routines: state.routines, today: state.today,
                            environment: environment, storePath: state.storePath, startAssumption: assumption,
                            namesAnyway: namesAnyway, inbox: inbox)
        case .writeFile(let path, let contents):
            do {
                queue(.fileWritten(path: try DocumentFile.write(contents, to: path, environment: environment)))
            } catch {
                queue(.fileFailed(error.message))
            }
        case .saveCopy(let path, let caseload, let unsaved):
            guard let data = try? StoreCodec.encode(caseload) else {
                queue(.copyFailed("Ärendelistan kunde inte kodas för kopian.", unsaved: unsaved))
                return
            }
            do {
                savedCopy = try DocumentFile.write(String(decoding: data, as: UTF8.self), to: path, environment: environment)
                // The copy holds every change; leaving now loses nothing (the store stays as it was).
                finished = saver?.flush() ?? true
            } catch {
                queue(.copyFailed(error.message, unsaved: unsaved))
            }
        }
    }

    static func time(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d", parts.tm_hour, parts.tm_min)
    }
}
