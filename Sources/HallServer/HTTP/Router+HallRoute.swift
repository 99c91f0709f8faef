import HallAPI
import HTTPTypes
import Hummingbird

extension RouterMethods {
    /// Registers `closure` for `route`: its method and path template, from the one catalogue (`HallRoutes`)
    /// the kiosk's client and `docs/openapi.yaml` are held to as well.
    @discardableResult
    func on(_ route: HallRoute, use closure: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        let method: HTTPRequest.Method = switch route.method {
        case .GET: .get
        case .POST: .post
        case .PUT: .put
        case .DELETE: .delete
        }
        return on(RouterPath(route.template), method: method, use: closure)
    }
}
