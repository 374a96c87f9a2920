--[[
  Takes the leader lease if it is free and, on success, opens a new fencing term.

  Input:
    KEYS[1] leader key  string holding the owner token, expires by PX
    KEYS[2] epoch key   string counter; never expires, never decreases

    ARGV[1] owner token  opaque string (the contender's JSON { id, address })
    ARGV[2] ttl          lease length in milliseconds

  Output:
    > 0  the lease is ours: the NEW epoch (INCR'd)
      0  another owner holds the lease (nothing changed)

  Re-acquiring a lease that this same owner token still holds also opens a new term: a process
  restarted with the same id must fence off its previous incarnation, which may still be writing.
  No TIME: expiry is the key's PX.
]]
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('INCR', KEYS[2])
