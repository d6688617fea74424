-- wrk script for bench/run.sh and bench/n8n.sh: signed WooCommerce order deliveries, every body
-- distinct (1.9 KB, numbered), signed as WooCommerce signs them: X-WC-Webhook-Signature =
-- base64(HMAC-SHA256(secret, body)). LuaJIT has no HMAC, so the signatures are computed before the
-- run by `bench/bench.py signatures` (one line per body number) and read here; the body is rebuilt
-- from its number with the same format (bench.py's body_for).
-- Usage: wrk -t T -c C -d 10s --latency -s bench/intake.lua URL -- SIGNATURES_FILE TAG STEP [OFFSET]
-- Thread t sends bodies OFFSET+t, OFFSET+t+STEP, ... (STEP = T, or the threads of all the wrk
-- processes of one run with an OFFSET each: bench.py workers); after the last signature it starts
-- again (then the
-- receiver sees duplicates: done() prints wrapped=1 and bench.py refuses the figure).
local counter = 1
local threads = {}

function setup(thread)
   thread:set("id", counter - 1)
   counter = counter + 1
   table.insert(threads, thread)
end

local padding = string.rep("x", 1800)

local function body_for(n)
   -- Keep in step with body_for() in bench/bench.py.
   -- 100000000 + n: the same length for every body, and no leading zero (JSON forbids one).
   return string.format('{"id":%d,"status":"processing","currency":"USD","total":"42.00",' ..
                        '"padding":"%s"}', 100000000 + n, padding)
end

function init(args)
   signatures = {}
   for line in io.lines(args[1]) do
      signatures[#signatures + 1] = line
   end
   total = #signatures
   tag = args[2] or "run"
   step = tonumber(args[3] or "1")
   next_n = id + tonumber(args[4] or "0")
end

function request()
   local n = next_n % #signatures
   next_n = next_n + step
   return wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["X-WC-Webhook-Topic"] = "order.updated",
      ["X-WC-Webhook-Resource"] = "order",
      ["X-WC-Webhook-Event"] = "updated",
      ["X-WC-Webhook-Delivery-ID"] = tag .. "-" .. n,
      ["X-WC-Webhook-Signature"] = signatures[n + 1],
   }, body_for(n))
end

-- The last non-2xx status a thread saw (0: none), printed by done().
last_bad = 0
function response(status, headers, body)
   if status > 299 then last_bad = status end
end

function done(summary, latency, requests)
   local non2xx = summary.errors.status
   local wrapped, bad = 0, 0
   for _, thread in ipairs(threads) do
      if (thread:get("next_n") or 0) >= (thread:get("total") or 0) then wrapped = 1 end
      if (thread:get("last_bad") or 0) > 0 then bad = thread:get("last_bad") end
   end
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout
   io.write(string.format(
      "MLCBENCH last_non2xx_status=%d wrapped=%d requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
      bad, wrapped, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000.0, latency:percentile(99) / 1000.0, non2xx, errors))
end
