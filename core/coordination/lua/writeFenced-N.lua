--[[
  Applies a batch of hash writes only if the writer still holds the current fencing epoch.
  The number of keys varies per call ("-N"): it is defined without numberOfKeys, so the caller
  passes numkeys as the first argument.

  Input:
    KEYS[1]     epoch key
    KEYS[2..n]  every hash the batch writes; all written keys are declared (Cluster-safe,
                and they share one hash tag, so one slot)

    ARGV[1]     the writer's epoch (decimal string)
    ARGV[2..]   operations, 4 entries each, applied in order:
                  op      'S' = HSET key field value, 'D' = HDEL key field
                  keyIdx  index into KEYS of the hash (>= 2)
                  field
                  value   JSON text for 'S'; ignored for 'D' (pass '')

  Output:
    the number of operations applied
    error 'FENCED <writerEpoch> <currentEpoch>' if GET epoch differs: NOTHING is written
    error 'ERR writeFenced ...' on malformed input, checked before any write

  Operations run in order; consecutive ones of the same kind on the same hash are sent as one
  HSET/HDEL. The whole batch is validated first because a Lua error after a write would leave
  the earlier writes applied.
]]
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then
  return redis.error_reply('FENCED ' .. ARGV[1] .. ' ' .. tostring(current or 0))
end
local n = #ARGV - 1
if n % 4 ~= 0 then
  return redis.error_reply('ERR writeFenced expects 4 arguments per operation')
end
for i = 2, #ARGV, 4 do
  local op = ARGV[i]
  local k = tonumber(ARGV[i + 1])
  if (op ~= 'S' and op ~= 'D') or k == nil or k < 2 or k > #KEYS then
    return redis.error_reply('ERR writeFenced bad operation at argument ' .. i)
  end
end
-- Consecutive operations of the same kind on the same hash go in one HSET/HDEL (fewer redis.call
-- round trips inside the script); runs are capped so unpack() stays far below Lua's stack limit.
local run = {}
local runOp, runKey = nil, nil
local function flushRun()
  if #run > 0 then
    redis.call(runOp == 'S' and 'HSET' or 'HDEL', runKey, unpack(run))
    run = {}
  end
end
for i = 2, #ARGV, 4 do
  local op, key = ARGV[i], KEYS[tonumber(ARGV[i + 1])]
  if op ~= runOp or key ~= runKey or #run >= 1000 then
    flushRun()
    runOp, runKey = op, key
  end
  run[#run + 1] = ARGV[i + 2]
  if op == 'S' then run[#run + 1] = ARGV[i + 3] end
end
flushRun()
return n / 4
