import HallAPI

extension KioskSettings {
    /// Settings for rendering sample screens without a config file; `overrides` are validated as for a config file.
    public static func sample(overrides: KioskOverrides = KioskOverrides()) throws(KioskConfigError) -> KioskSettings {
        let config = KioskConfig(role: .ticketKiosk,
                                 device: .init(id: "sample-kiosk", token: "sample-token-not-for-use", tokenFile: nil, window: nil),
                                 server: .init(url: "http://127.0.0.1:8080", caFile: nil, timeoutSeconds: nil),
                                 screen: .init(width: 1080, height: 1920, rotation: 0, fullscreen: false, videoDriver: "offscreen"),
                                 ui: nil, printer: nil, fonts: nil, admin: nil, rating: nil)
        return try make(config, source: "(sample)", overrides: overrides)
    }
}
