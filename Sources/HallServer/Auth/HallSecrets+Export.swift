// PIN and token hashes (`SecretHash`) are shared with the kiosk (admin PIN); the server re-exports them.
@_exported import HallSecrets
