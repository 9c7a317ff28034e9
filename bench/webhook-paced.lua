-- wrk script for bench/webhook-sustained.sh: posts the request bodies of a file (one JSON per line),
-- each line once, split over wrk's threads, at a fixed offered rate: each connection waits
-- connections/rate seconds between its requests (wrk's delay()), so the server sees a steady load
-- instead of a burst. The caller ends wrk with SIGINT once the run's time is up.
-- Usage: wrk -t2 -c16 -d600s -s bench/webhook-paced.lua <url> -- <bodies file> <threads> <rate/s> <connections>
local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("id", created)
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  interval = 1000 * tonumber(args[4]) / tonumber(args[3])
  bodies = {}
  local i = 0
  for line in io.lines(file) do
    if i % count == id - 1 then
      table.insert(bodies, line)
    end
    i = i + 1
  end
  sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, bodies[math.min(sent, #bodies)])
end

function delay()
  if sent >= #bodies then
    return 3600000
  end
  return interval
end

function response(status, headers, body)
  if status == 200 then
    ok = (ok or 0) + 1
  end
  if status ~= 200 and not reported then
    reported = true
    io.write("wrk_first_error=" .. status .. " " .. string.sub(body, 1, 300) .. "\n")
  end
end

function done(summary, latency, requests)
  local answered = 0
  for _, thread in ipairs(threads) do
    answered = answered + (thread:get("ok") or 0)
  end
  io.write(string.format("wrk_ok_responses=%d\n", answered))
  io.write(string.format("wrk_requests=%d\n", summary.requests))
  io.write(string.format("wrk_errors=connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("sustained_ack_p50_ms=%.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("sustained_ack_p99_ms=%.1f\n", latency:percentile(99) / 1000))
end
