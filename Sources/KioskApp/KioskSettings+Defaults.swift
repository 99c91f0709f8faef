import HallAPI

extension KioskSettings {
    /// Settings for rendering sample screens without a config file.
    public static func sample(size: (Int, Int) = (1080, 1920), language: Language = .zh) -> KioskSettings {
        let config = KioskConfig(role: .ticketKiosk,
                                 device: .init(id: "sample-kiosk", token: "sample-token-not-for-use", tokenFile: nil),
                                 server: .init(url: "http://127.0.0.1:8080", caFile: nil, timeoutSeconds: nil),
                                 screen: .init(width: size.0, height: size.1, rotation: 0, fullscreen: false, videoDriver: "offscreen"),
                                 ui: .init(language: language.rawValue, idleTimeoutSeconds: nil, ticketScreenSeconds: nil,
                                           ticketScreenSecondsWithoutPaper: nil, offlineGraceSeconds: nil,
                                           statusRefreshSeconds: nil),
                                 printer: nil, fonts: nil, admin: nil)
        // The sample config is valid by construction.
        return (try? make(config, source: "(sample)", overrides: KioskOverrides())) ?? {
            fatalError("sample settings must be valid")
        }()
    }
}
