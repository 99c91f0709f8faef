/// The rating outbox: every rating the citizen submits is stored durably on the device first,
/// then delivered to the hall server exactly once in effect.
public enum KioskOutbox {}
