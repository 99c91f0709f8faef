-- wrk script: every request takes a new number with its own Idempotency-Key (one per citizen intent).
dofile("kiosk/bench/wrk-common.lua")

function init(args)
  counter = 0
  created = 0
  other = 0
  -- BENCH_PREFIX: one per wrk process when several run at once (server-bench --instances), so keys never repeat.
  prefix = (os.getenv("BENCH_PREFIX") or "bench-") .. tid .. "-"
  body = '{"serviceId":"' .. (os.getenv("BENCH_SERVICE") or "bench") .. '","kioskId":"bench-kiosk"}'
  headers = {
    ["Authorization"] = "Bearer bench-kiosk-token-0123456789",
    ["Content-Type"] = "application/json",
  }
end

function request()
  counter = counter + 1
  headers["Idempotency-Key"] = prefix .. counter
  return wrk.format("POST", "/api/v1/tickets", headers, body)
end
