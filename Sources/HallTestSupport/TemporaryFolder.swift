import Foundation
import XCTest

/// A fresh temporary folder named after `prefix`, removed by `test`'s teardown.
public func temporaryFolder(_ test: XCTestCase, _ prefix: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}
