/// Every route the server answers, as `METHOD /path/{param}`; tests compare it with `docs/openapi.yaml`.
public final class RouteCatalogue: @unchecked Sendable {
    public private(set) var routes: [(method: String, path: String, api: Bool)] = []

    public init() {}

    func add(_ method: String, _ path: String, api: Bool = true) {
        routes.append((method, path, api))
    }
}
