-- One request, the same every time, described by environment variables (set by BenchRunner):
-- BENCH_METHOD, BENCH_BODY, BENCH_CONTENT_TYPE, BENCH_AUTHORIZATION, BENCH_ACCEPT, BENCH_PROTOCOL.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then wrk.body = body end
local function header(name, variable)
  local value = os.getenv(variable)
  if value and value ~= "" then wrk.headers[name] = value end
end
header("Content-Type", "BENCH_CONTENT_TYPE")
header("Authorization", "BENCH_AUTHORIZATION")
header("Accept", "BENCH_ACCEPT")
header("MCP-Protocol-Version", "BENCH_PROTOCOL")

-- Statuses other than the expected one count as errors in the results table (wrk's own "Non-2xx" line
-- does not know which status a scenario expects). Each thread has its own Lua state: done() sums them.
expected = tonumber(os.getenv("BENCH_EXPECT") or "200")
unexpected = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("unexpected") end
  io.write(string.format("bench-unexpected: %d\n", total))
end
