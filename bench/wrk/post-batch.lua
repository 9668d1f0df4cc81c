-- wrk: POST /events/batch with BATCH (default 1000) fresh statements per request.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local statements = require("statements")
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) statements.seed(id) end
local token = os.getenv("PARLEY_INGEST_TOKEN") or error("set PARLEY_INGEST_TOKEN (mint one with bin/token)")
local size = tonumber(os.getenv("BATCH") or "1000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
function request()
  local items = {}
  for i = 1, size do items[i] = statements.event() end
  return wrk.format(nil, "/events/batch", nil, "[" .. table.concat(items, ",") .. "]")
end
local report = require("report")
function done(summary, latency, requests) report.done(summary, latency) end
