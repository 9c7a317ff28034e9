-- wrk script for bench/webhook-ingest.sh and bench/webhook-sustained.sh: posts the request bodies
-- of a file (one JSON per line), each line once, split over wrk's threads; the caller ends wrk with
-- SIGINT once all are stored (or the run's time is up). As fast as the server answers, or, given a
-- rate, at that steady offered rate: each wrk thread sends its share (rate/threads a second) on a clock,
-- each request at its own slot, whichever of the thread's connections is free then (wrk's delay()
-- returns the time left until the next slot). Until 2026-11-27 each connection waited
-- connections/rate seconds after each answer, so the time to answer came on top and the load offered
-- was lower than the rate named (1,336 a second for 1,500 at a 1 ms answer), and fell further as the
-- server slowed: a closed loop. A server that cannot keep up now sees requests back to back on every
-- connection, and the benchmark reports the rate it acknowledged.
-- Usage: wrk -t2 -c16 -d120s --latency -s bench/webhook.lua <url> -- <bodies file> <threads> [<rate/s> <connections>]
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local clock = ffi.new("bench_timespec")

-- milliseconds on the monotonic clock (CLOCK_MONOTONIC = 1)
local function now_ms()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("id", created)
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  -- this thread's share of the rate: one request every `interval` ms, from the first one on
  interval = args[3] and 1000 * count / tonumber(args[3]) or 0
  next_slot = nil
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

-- the time until this thread's next slot; once its share is sent, its connections idle (wrk runs until
-- its duration ends or it gets SIGINT)
function delay()
  if sent >= #bodies then
    return 3600000
  end
  if interval == 0 then
    return 0
  end
  local now = now_ms()
  next_slot = (next_slot or now) + interval
  return math.max(0, next_slot - now)
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
  local seconds = summary.duration / 1e6
  io.write(string.format("wrk_requests=%d\n", summary.requests))
  io.write(string.format("wrk_seconds=%.2f\n", seconds))
  io.write(string.format("wrk_errors=connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("webhook_p50_ms=%.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("webhook_p99_ms=%.1f\n", latency:percentile(99) / 1000))
end
