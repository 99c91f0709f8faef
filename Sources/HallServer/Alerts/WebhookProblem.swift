import Foundation

/// Why a webhook delivery failed, as a short phrase for the log and the page, and what the hall should do about it.
enum WebhookProblem {
    /// A short phrase for `error` (the HTTP client's errors are long and technical).
    static func phrase(_ error: any Error) -> String {
        let text = String(describing: error)
        let lower = text.lowercased()
        if lower.contains("refused") { return "connection refused" }
        if lower.contains("timeout") || lower.contains("timed out") || lower.contains("deadline") { return "timed out" }
        if lower.contains("dns") || lower.contains("resolve") || lower.contains("name or service") || lower.contains("nodename") {
            return "host name not found"
        }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") {
            return "TLS failed: " + String(text.prefix(120))
        }
        if lower.contains("unreachable") { return "network unreachable" }
        if lower.contains("remoteconnectionclosed") || lower.contains("connection reset") { return "connection closed by the receiver" }
        return String(text.prefix(160))
    }

    /// What to do about `problem` (a phrase from `phrase` or `HTTP nnn`), in both languages.
    static func fix(_ problem: String) -> (zh: String, en: String) {
        if problem.hasPrefix("HTTP "), let code = Int(problem.dropFirst(5).prefix(3)) {
            switch code {
            case 401, 403:
                return ("接收方拒绝授权：检查 webhook 地址中的密钥（机器人 key / access_token）是否正确、是否已重置。",
                        "The receiver refuses access: check the key in the webhook URL (robot key / access_token).")
            case 404, 405:
                return ("地址不对：接收方没有这个路径。核对 [alerts] webhook 的完整地址。",
                        "Wrong address: the receiver has no such path. Check the whole [alerts] webhook URL.")
            case 400, 415, 422:
                return ("接收方不接受消息格式：检查 [alerts] format（json / wecom / dingtalk）是否与接收方一致。",
                        "The receiver refuses the message: check [alerts] format (json, wecom or dingtalk) matches it.")
            case 429:
                return ("接收方限流：消息太多，稍后会自动重试。", "The receiver limits its rate: it is retried later by itself.")
            case 500...599:
                return ("接收方出错或维护中：请联系接收方管理员；恢复后会自动补发。",
                        "The receiver has a fault: ask whoever runs it; notices are sent when it recovers.")
            default:
                return ("接收方返回 \(code)：核对 webhook 地址与格式。", "The receiver answered \(code): check the webhook URL and format.")
            }
        }
        switch problem {
        case "connection refused":
            return ("该地址上没有服务在监听：检查地址与端口，以及接收服务是否在运行。",
                    "Nothing listens at that address: check the host and port, and that the receiver is running.")
        case "timed out":
            return ("连接超时：检查服务器能否访问外网或接收方（防火墙、代理）。",
                    "Timed out: check that this server can reach the receiver (firewall, proxy).")
        case "host name not found":
            return ("找不到主机名：检查地址拼写和服务器的 DNS 设置。", "Host name not found: check the spelling and this server's DNS.")
        case "network unreachable":
            return ("网络不通：检查服务器的网络连接和路由。", "Network unreachable: check this server's network connection.")
        default:
            if problem.hasPrefix("TLS failed") {
                return ("TLS（https）握手失败：检查证书和服务器时间。", "The https handshake failed: check the certificate and this server's clock.")
            }
            return ("检查 webhook 地址，以及接收方是否正常。", "Check the webhook URL and that the receiver works.")
        }
    }
}
