-- One benchmark scenario for wrk: rotates over the request paths in $BENCH_PATHS (one per
-- line) and, for writes, over the JSON bodies in $BENCH_BODIES (one per line), sends
-- $BENCH_METHOD with the headers in $BENCH_HEADERS ("Name: value" separated by "|") and,
-- when $BENCH_COOKIES names a file, the cookie on the line of the same number as the path
-- (one logged-in browser per path), and prints a JSON summary line when done.
local paths = {}
local bodies = {}
local method = os.getenv("BENCH_METHOD") or "GET"
local body = nil
local headers = {}
local cookies = {}

for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then table.insert(paths, line) end
end
local bodies_file = os.getenv("BENCH_BODIES")
if bodies_file and #bodies_file > 0 then
  for line in io.lines(bodies_file) do
    if #line > 0 then table.insert(bodies, line) end
  end
end
local cookies_file = os.getenv("BENCH_COOKIES")
if cookies_file and #cookies_file > 0 then
  for line in io.lines(cookies_file) do
    if #line > 0 then table.insert(cookies, line) end
  end
end
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end
if #bodies > 0 then headers["Content-Type"] = "application/json" end

local counter = 0
request = function()
  counter = counter + 1
  if #bodies > 0 then body = bodies[(counter % #bodies) + 1] end
  if #cookies > 0 then headers["Cookie"] = cookies[(counter % #paths) + 1] end
  return wrk.format(method, paths[(counter % #paths) + 1], headers, body)
end

-- No `response` function: with one, wrk keeps every response body and copies it into Lua,
-- which made it spend more CPU than the server on a 10 MB download. Answers other than 2xx
-- and 3xx are counted by wrk itself (summary.errors.status).

done = function(summary, latency, _requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
