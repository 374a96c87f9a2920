--[[
  Appends one event to the capped stream only if the writer still holds the current fencing epoch.

  Input:
    KEYS[1]  epoch key
    KEYS[2]  the event stream

    ARGV[1]  the writer's epoch (decimal string)
    ARGV[2]  MAXLEN (approximate trim, as XADD MAXLEN ~)
    ARGV[3]  event type
    ARGV[4]  event data (JSON text)

  Output:
    the new entry's id
    error 'FENCED <writerEpoch> <currentEpoch>' if GET epoch differs: nothing is appended
]]
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then
  return redis.error_reply('FENCED ' .. ARGV[1] .. ' ' .. tostring(current or 0))
end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[3], 'data', ARGV[4])
