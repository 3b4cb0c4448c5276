-- wrk script of bench/load.sh: the user list or the search, as the console asks for them.
--   wrk ... -H "Cookie: roster_session=..." -s bench/load_users.lua URL -- list|search
-- list:   GET /api/v1/users, 50 a page, a sort column and order per request, mostly the first
--         200 pages, one request in 20 a deep page;
-- search: GET /api/v1/users?search=..., names, name parts, addresses, a full name, a term that
--         matches nobody and LIKE's own wildcards (which must be matched literally).
-- Each wrk thread draws from its own fixed seed, so two runs send the same requests.
-- done() prints one line, "LOAD kind=... requests=... p50_ms=... errors...", that load.sh reads:
-- statuses by class (counted in response()), wrk's socket errors (connect, read, write,
-- timeout), the requests sent but not answered when the time was up ("unfinished"), and the
-- latencies from wrk's histogram of the answered requests.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local sorts = {"email", "first_name", "last_name", "department", "location", "created_at", "id"}
local orders = {"asc", "desc"}
-- Already URL-encoded: ü is %C3%BC, a space %20, % itself %25.
local searches = {
  "anna", "jonas", "Klara", "zoe", "schmidt", "M%C3%BCller", "Schr%C3%B6der", "O%27Brien",
  "lef%C3%A8vre", "anna%20schmidt", "Paul%20Weber", "klara.weber", "mia.koch.1", "12345",
  "777", "@example.com", "nobody-is-called-this", "50%25", "a_b", "ar",
}

function init(args)
  kind = args[1] or "list"
  if kind ~= "list" and kind ~= "search" then
    error("load_users.lua: the argument is list or search, not " .. kind)
  end
  math.randomseed(20240301 + id)
  sent, ok2xx, s3xx, s4xx, s5xx = 0, 0, 0, 0, 0
  first_error = ""
end

function request()
  local sort = sorts[math.random(#sorts)]
  local order = orders[math.random(#orders)]
  local path
  if kind == "list" then
    local page = math.random(0, 199)
    if math.random(20) == 1 then page = math.random(0, 19000) end
    path = string.format("/api/v1/users?sort=%s&order=%s&limit=50&offset=%d", sort, order,
                         page * 50)
  else
    local offset = math.random(4) == 1 and 50 or 0
    path = string.format("/api/v1/users?search=%s&sort=%s&order=%s&limit=50&offset=%d",
                         searches[math.random(#searches)], sort, order, offset)
  end
  sent = sent + 1
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 300 then
    ok2xx = ok2xx + 1
    return
  end
  if status < 400 then s3xx = s3xx + 1
  elseif status < 500 then s4xx = s4xx + 1
  else s5xx = s5xx + 1 end
  if first_error == "" then
    first_error = tostring(status) .. " " .. string.sub(body or "", 1, 300)
  end
end

function done(summary, latency, requests)
  local kind = threads[1]:get("kind")
  -- wrk calls the first thread's request() once more, to check it, before the run (hence - 1).
  local sent, ok, r3, r4, r5, first = 0, 0, 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("sent")
    ok = ok + thread:get("ok2xx")
    r3 = r3 + thread:get("s3xx")
    r4 = r4 + thread:get("s4xx")
    r5 = r5 + thread:get("s5xx")
    if first == "" then first = thread:get("first_error") end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "LOAD kind=%s requests=%d seconds=%.2f rps=%.2f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f " ..
    "max_ms=%.1f ok=%d s3xx=%d s4xx=%d s5xx=%d connect=%d read=%d write=%d timeout=%d " ..
    "unfinished=%d\n",
    kind, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, ok, r3, r4, r5,
    e.connect, e.read, e.write, e.timeout, sent - 1 - (ok + r3 + r4 + r5)))
  if first ~= "" then
    io.write("LOAD_FIRST_ERROR kind=" .. kind .. " " .. first:gsub("\n", " ") .. "\n")
  end
end
