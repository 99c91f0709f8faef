/// The rating outbox: every rating the citizen submits is stored durably on the device first,
/// then delivered to the hall server exactly once in effect.
///
/// - ``RatingOutbox``: the SQLite store (WAL, `synchronous=FULL`). `store(_:)` returns once the rating
///   is on disk — show "thank you" only after it returns.
/// - ``OutboxSender``: the background sender (`run()`), with ``BackoffPolicy`` (exponential backoff,
///   full jitter, `Retry-After`), `sendNow()`, and status updates for the UI and the heartbeat.
/// - ``RatingPoster``: what the sender posts through; `HallClient` is one.
public enum KioskOutbox {}
