-- wrk script of `scripts/bench serve`: /api/search with facets, cycling
-- through the queries of $OASIS_BENCH_QUERIES (one a line, '#' comments),
-- the k-th (from 0) with no filter, dept=45 or category=logement as k % 3
-- says: the same searches serve_inproc.c makes in-process.
local queries = {}
local f = assert(io.open(os.getenv("OASIS_BENCH_QUERIES")))
for line in f:lines() do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    queries[#queries + 1] = line
  end
end
f:close()

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local filters = { "", "&dept=45", "&category=logement" }
local paths = {}
for k, q in ipairs(queries) do
  paths[k] = "/api/search?q=" .. encode(q) .. filters[(k - 1) % 3 + 1]
end

local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
