import CourseModel
import SceneEngine

/// A subscription's life in the course bot (contract §8 Prices): access lasts until the latest
/// `subscription_expiration_date` of the plan payments not refunded; 3 days and 1 day before,
/// the runtime's scheduler delivers `.subscriptionCheck` and the student is reminded; once it
/// has passed, any event (or the scheduler) closes the steps again and offers the renewal.
/// Each notice is given once per access end (`StudentState.subscriptionNotices`).
extension Turn {
    static let day = 86_400.0

    /// Ownership brought up to `now`, and the notice it calls for: the end of access (always
    /// checked) and, when `remind`, the 3-day or 1-day reminder.
    func subscriptionNotices(state: inout StudentState, remind: Bool) -> [Effect] {
        guard case .subscription(let amount, _) = course.price, payments != nil else { return [] }
        let plans = state.purchases.values.filter { $0.item == PurchaseItem.plan.code && !$0.refunded }
        guard let end = plans.compactMap(\.expiresAt).max() else { return [] }
        state.recomputeOwnership(now: now)
        let key = String(Int64(end)) + ":"
        // Only the notices of the current access end are kept.
        state.subscriptionNotices = state.subscriptionNotices.filter { $0.hasPrefix(key) }
        let words = words(state)
        let left = end - now
        if left <= 0 {
            guard state.subscriptionNotices.insert(key + "end").inserted else { return [] }
            state.subscriptionNotices.formUnion([key + "1", key + "3"])
            return send(
                words("payment.subscription_ended", ["course": course.title]),
                buttons: [[buyButton(.plan, price: amount, words)]])
        }
        guard remind else { return [] }
        let threshold = left <= Self.day ? "1" : left <= 3 * Self.day ? "3" : nil
        guard let threshold, state.subscriptionNotices.insert(key + threshold).inserted else { return [] }
        if threshold == "1" { state.subscriptionNotices.insert(key + "3") }
        let days = max(1, Int((left / Self.day).rounded(.up)))
        return send(words("payment.subscription_reminder", ["course": course.title, "days": words.plain("days", count: days)]))
    }
}
