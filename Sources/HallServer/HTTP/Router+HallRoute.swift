import HallAPI
import HTTPTypes
import Hummingbird

extension RouterMethods {
    /// Registers `closure` for `route`: its method and path template, from the one catalogue (`HallRoutes`)
    /// the kiosk's client and `docs/openapi.yaml` are held to as well.
    @discardableResult
    func on(_ route: HallRoute, use closure: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(RouterPath(route.template), method: route.method == .GET ? .get : .post, use: closure)
    }
}
