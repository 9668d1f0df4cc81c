-- wrk: POST /events, one fresh statement per request. DELAY_MS > 0 paces each connection.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local statements = require("statements")
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) statements.seed(id) end
local token = os.getenv("PARLEY_INGEST_TOKEN") or error("set PARLEY_INGEST_TOKEN (mint one with bin/token)")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
function request() return wrk.format(nil, "/events", nil, statements.event()) end
if delay_ms > 0 then function delay() return delay_ms end end
local report = require("report")
function done(summary, latency, requests) report.done(summary, latency) end
