import Foundation
import SceneEngine
import Storage
import TelegramBotAPI

/// The desk as the job runner's handler of `desk.event` jobs: a creator's command, button or
/// pasted token, written with its update id in the batch that received it, is carried out here;
/// its answers are written to the manager bot's outbox in one transaction with the job marked
/// done. A job run again after a crash before that commit replays the action: the steps that
/// touch state record themselves as applied (`applied_actions`, by the job's key) in the same
/// transaction as their change, so the replay answers without applying them twice.
struct DeskJobs: JobHandling {
    let desk: ManagerDesk

    func perform(_ job: JobRow) async throws -> JobOutcome {
        guard let event = try? JSONDecoder().decode(ChatEvent.self, from: job.payload) else {
            throw PermanentJobError(description: "a desk job whose event cannot be read")
        }
        let run = desk.forJob(job.idempotencyKey)
        try await run.handle(event)
        return JobOutcome(outbox: run.outbox.take())
    }

    /// After the last attempt: the creator is told that it did not work, rather than nothing.
    func gaveUp(_ job: JobRow, error: String) -> [NewOutboxRow] {
        guard let event = try? JSONDecoder().decode(ChatEvent.self, from: job.payload) else { return [] }
        let run = desk.forJob(nil)
        try? run.enqueue(
            SendMessage(chatId: .id(event.chatId), text: run.escaped("error.generic", run.locale(event)), parseMode: .html), chatId: event.chatId)
        return run.outbox.take()
    }

    func describe(_ error: any Error) -> String {
        desk.redactTokens(String(describing: error))
    }
}
