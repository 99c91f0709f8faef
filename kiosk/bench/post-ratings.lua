-- wrk script: rates pre-completed tickets bench-t-1 … bench-t-N, each exactly once (ratingId = Idempotency-Key).
local threads = {}
local next_id = 1
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  created = 0
  other = 0
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  headers = {
    ["Authorization"] = "Bearer bench-kiosk-token-0123456789",
    ["Content-Type"] = "application/json",
  }
  levels = { "verySatisfied", "satisfied", "basicallySatisfied", "dissatisfied", "veryDissatisfied" }
end

function request()
  counter = counter + 1
  local n = (counter - 1) * nthreads + tid
  local level = levels[(n % 5) + 1]
  local reasons = (level == "dissatisfied" or level == "veryDissatisfied") and '["efficiency"]' or '[]'
  local id = string.format("00000000-0000-4000-8000-%012d", n)
  headers["Idempotency-Key"] = id
  local body = '{"ratingId":"' .. id .. '","ticketId":"bench-t-' .. n .. '","channel":"kiosk","level":"' .. level ..
    '","reasons":' .. reasons .. ',"assessNumber":1,"source":"active"}'
  return wrk.format("POST", "/api/v1/ratings", headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f created=%d other=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, c, o))
end
