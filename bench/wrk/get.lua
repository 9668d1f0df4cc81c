-- wrk: GET a relationship; IF_NONE_MATCH (e.g. "42") makes every answer a 304.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local etag = os.getenv("IF_NONE_MATCH")
if etag and etag ~= "" then wrk.headers["If-None-Match"] = etag end
local report = require("report")
function done(summary, latency, requests) report.done(summary, latency) end
