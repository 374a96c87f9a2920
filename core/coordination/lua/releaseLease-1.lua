--[[
  Gives the leader lease up if the caller still owns it (compare-and-delete), so a contender can
  win at once instead of waiting for the PX to run out. The epoch is left alone: the next winner
  INCRs it anyway.

  Input:
    KEYS[1] leader key

    ARGV[1] owner token  exactly as passed to acquireLease

  Output:
    1  released
    0  not ours (expired or taken over); nothing changed
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
