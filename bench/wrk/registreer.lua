-- Registering a request the way a form does, for wrk: create a zaak, then its initiator rol
-- and its first status. Every connection sends the next request due: a rol or status for a
-- zaak whose creation has answered, else a new zaak. A registration counts as done when its
-- rol and its status have both been created. `unanswered` counts the requests sent whose
-- answer wrk did not see: those in flight when the run ended, which the server still completes
-- (their notificaties go out too). Bodies come from $BENCH_ZAAK, $BENCH_ROL and $BENCH_STATUS
-- (JSON, the latter two with __ZAAK__ where the zaak's URL goes), headers from $BENCH_HEADERS
-- ("Name: value" separated by "|"). Prints a JSON summary line when done.
local zaak_body = os.getenv("BENCH_ZAAK")
local rol_body = os.getenv("BENCH_ROL")
local status_body = os.getenv("BENCH_STATUS")
local prefix = os.getenv("BENCH_PREFIX") or ""
local headers = { ["Content-Type"] = "application/json" }
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

-- per thread
local due = {}
local first, last = 1, 0
created = 0
registered = 0
open_calls = {}  -- zaak URL -> follow-up calls (rol, status) not answered yet
failed = 0
sent = 0
answered = 0

local function push(path, body)
  last = last + 1
  due[last] = { path = path, body = body }
end

request = function()
  sent = sent + 1
  if first <= last then
    local item = due[first]
    due[first] = nil
    first = first + 1
    return wrk.format("POST", item.path, headers, item.body)
  end
  return wrk.format("POST", prefix .. "/zaken/api/v1/zaken", headers, zaak_body)
end

response = function(status, _headers, body)
  answered = answered + 1
  if status ~= 201 then
    failed = failed + 1
    return
  end
  created = created + 1
  local url = string.match(body, '"url"%s*:%s*"([^"]+)"')
  if url == nil then return end
  if string.find(url, "/zaken/api/v1/zaken/", 1, true) then
    local escaped = string.gsub(url, "%%", "%%%%")
    open_calls[url] = 2
    push(prefix .. "/zaken/api/v1/rollen", (string.gsub(rol_body, "__ZAAK__", escaped)))
    push(prefix .. "/zaken/api/v1/statussen", (string.gsub(status_body, "__ZAAK__", escaped)))
  else
    -- a rol or a status: the registration is complete when both of its zaak have answered
    -- (they go out on different connections and may land in either order)
    local zaak = string.match(body, '"zaak"%s*:%s*"([^"]+)"')
    local left = zaak and open_calls[zaak]
    if left == nil then return end
    if left <= 1 then
      open_calls[zaak] = nil
      registered = registered + 1
    else
      open_calls[zaak] = left - 1
    end
  end
end

done = function(summary, latency, _requests)
  local c, r, f, u = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    r = r + thread:get("registered")
    f = f + thread:get("failed")
    u = u + thread:get("sent") - thread:get("answered")
  end
  -- before the run wrk calls request() once on the first thread to check the script: that
  -- request is never sent
  u = u - 1
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, '
      .. '"created": %d, "registered": %d, "failed": %d, "unanswered": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, c, r, f, u))
end
