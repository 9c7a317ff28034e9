-- wrk script for bench/startup.sh: Bolna lifecycle events for the calls of bench/seed-startup.sql,
-- generated on the fly (no bodies file): thread t of n posts, for calls t, t+n, t+2n, ..., the five
-- statuses of each call in order, each event once; it runs for wrk's whole duration (-d).
-- Usage: wrk -t2 -c16 -d60s --latency -s bench/startup.lua <url> -- <threads>
local threads = {}
local created = 0
local statuses = { "initiated", "ringing", "in-progress", "call-disconnected", "completed" }

function setup(thread)
  created = created + 1
  thread:set("id", created)
  table.insert(threads, thread)
end

function init(args)
  count = tonumber(args[1])
  sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local call = math.floor(sent / 5) * count + id
  local step = sent % 5
  local status = statuses[step + 1]
  sent = sent + 1
  local done = status == "completed"
  local account = call % 10
  local body = string.format('{"id":"cold-%d","agent_id":"bolna-cold-%d","status":"%s","updated_at":"2026-11-26T00:00:0%dZ",'
    .. '"conversation_duration":%s,"transcript":%s,"telephony_data":{"duration":"%s","to_number":"+1415%d",'
    .. '"call_type":"outbound","provider":"twilio","hangup_by":"Callee","hangup_reason":"normal",'
    .. '"hangup_provider_code":4000,"recording_url":%s},"cost_breakdown":{"llm":1.2,"network":0.3,"platform":0.5}}',
    call, account, status, step, done and "61.5" or "null",
    done and '"assistant: hello there\\nuser: hi"' or "null", done and "62" or "", 2000000 + call,
    done and '"https://example.com/rec.mp3"' or "null")
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = (ok or 0) + 1
  elseif not reported then
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
  io.write(string.format("wrk_seconds=%.2f\n", summary.duration / 1e6))
  io.write(string.format("wrk_errors=connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("wrk_p50_ms=%.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("wrk_p99_ms=%.1f\n", latency:percentile(99) / 1000))
end
