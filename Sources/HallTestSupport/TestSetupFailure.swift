/// Thrown when a real part a test needs (the printer simulator, a hall server) does not start. It fails the test
/// with the reason instead of skipping it: a suite that quietly skips its printer or server tests on a broken
/// machine would pass without having tested anything.
public struct TestSetupFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
