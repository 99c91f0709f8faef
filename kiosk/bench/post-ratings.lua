-- wrk script: rates pre-completed tickets bench-t-1 … bench-t-N, each exactly once (ratingId = Idempotency-Key).
-- A kiosk proves it holds each ticket with the ticket's token (what scanning its QR code gives), as kiosks must.
-- Several wrk processes at once (server-bench --instances) share the tickets: process BENCH_SLOT of BENCH_SLOTS.
dofile("kiosk/bench/wrk-common.lua")

function init(args)
  counter = 0
  created = 0
  other = 0
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  slot = tonumber(os.getenv("BENCH_SLOT") or "0")
  slots = tonumber(os.getenv("BENCH_SLOTS") or "1")
  headers = {
    ["Authorization"] = "Bearer bench-kiosk-token-0123456789",
    ["Content-Type"] = "application/json",
  }
  levels = { "verySatisfied", "satisfied", "basicallySatisfied", "dissatisfied", "veryDissatisfied" }
end

function request()
  counter = counter + 1
  local n = ((counter - 1) * nthreads + tid - 1) * slots + slot + 1
  local level = levels[(n % 5) + 1]
  local reasons = (level == "dissatisfied" or level == "veryDissatisfied") and '["efficiency"]' or '[]'
  local id = string.format("00000000-0000-4000-8000-%012d", n)
  headers["Idempotency-Key"] = id
  local token = string.format("bench-token-%010d", n)
  local body = '{"ratingId":"' .. id .. '","ticketToken":"' .. token .. '","channel":"kiosk","level":"' .. level ..
    '","reasons":' .. reasons .. ',"assessNumber":1,"source":"active"}'
  return wrk.format("POST", "/api/v1/ratings", headers, body)
end
