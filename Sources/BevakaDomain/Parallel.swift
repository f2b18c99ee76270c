import Dispatch
import Foundation

/// Work split in chunks over the machine's cores, the results in the chunks' order. Only for
/// pure work on values (rules, text): the same input gives the same output as one loop.
public enum Parallel {
    /// `work` on `0..<count` split in up to eight consecutive ranges (one per core), in order.
    /// Below `minimum` one range is used: threads cost more than they save on a small list.
    public static func chunks<Result>(_ count: Int, minimum: Int = 1_000,
                                      _ work: (Range<Int>) -> Result) -> [Result] {
        let workers = count < minimum ? 1 : max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        if workers == 1 { return [work(0..<count)] }
        let size = (count + workers - 1) / workers
        var results = [Result?](repeating: nil, count: workers)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            withoutActuallyEscaping(work) { work in
                nonisolated(unsafe) let work = work
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    output[worker] = work(min(count, worker * size)..<min(count, (worker + 1) * size))
                }
            }
        }
        return results.compactMap { $0 }
    }
}
