import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension HallClient {
    /// One request with another bearer token (a staff member's or the admin's) and a JSON body given as text:
    /// for tools and benchmarks that act as staff. Any status is returned; only an unreachable server throws.
    public func rawRequest(_ method: String, _ path: String, bearer: String?, json: String? = nil,
                           headers: [(String, String)] = []) async throws(HallClientError) -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.body = .bytes(ByteBuffer(string: json))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(configuration.requestTimeoutSeconds * 1000)))
            let buffer = try await response.body.collect(upTo: 4 << 20)
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch {
            throw .unreachable(Self.describe(error))
        }
    }
}
