-- Realistic statement bodies (~300 bytes) over varied relationships, each with a fresh eventId.
local M = {}

local countries = { "USA", "PRK", "KOR", "CHN", "RUS", "JPN", "GBR", "FRA", "DEU", "IND", "PAK", "IRN",
  "ISR", "SAU", "TUR", "UKR", "BRA", "ZAF", "EGY", "MEX", "CAN", "AUS", "IDN", "VNM", "PHL", "QAT",
  "ARE", "NOR", "CHE", "SWE", "POL", "ITA", "ESP", "NGA", "ETH", "KEN", "ARG", "CHL", "COL", "MNG" }
local types = { "INVITATION_ISSUED", "NO_RESPONSE", "CONDITIONS_REITERATED", "INCENTIVE_OFFERED",
  "INVITATION_ACCEPTED", "MEETING_SCHEDULED" }
local summaries = {
  "Speaking to reporters, the foreign minister repeated the offer of talks at a place and time to be agreed.",
  "State media carried a statement by a senior official; it did not mention the proposal made last week.",
  "In a televised address the leader set out the conditions under which a summit could take place.",
  "A spokesperson said the government remained open to dialogue and would consider easing restrictions.",
}

function M.seed(n)
  math.randomseed(os.time() * 1000 + (n or 0) * 7919 + math.floor(os.clock() * 1e6))
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%04x%08x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0x8000, 0xbfff), math.random(0, 0xffff), math.random(0, 0xffffffff))
end

function M.event(relationships)
  local n = relationships or #countries
  local a = math.random(1, math.min(n, #countries))
  local b = a
  while b == a do b = math.random(1, #countries) end
  local t = types[math.random(1, #types)]
  local extra = ""
  if t == "CONDITIONS_REITERATED" then
    extra = ',"conditions":["Recognition as a nuclear power","Lifting of sanctions first"]'
  elseif t == "INCENTIVE_OFFERED" then
    extra = ',"incentives":["Sanctions relief"]'
  elseif t == "MEETING_SCHEDULED" then
    extra = ',"meetingAt":"2025-12-01T02:00:00Z","location":"Panmunjom"'
  end
  -- Reported as they happen (late reports, which refold a relationship, are the exception).
  return string.format('{"eventId":"%s","type":"%s","source":"%s","target":"%s",'
    .. '"occurredAt":"%s","speaker":"Spokesperson","summary":"%s"%s}',
    uuid(), t, countries[a], countries[b], os.date("!%Y-%m-%dT%H:%M:%SZ"),
    summaries[math.random(1, #summaries)], extra)
end

return M
