--[[
  Extends the leader lease if, and only if, the caller still owns it (compare-and-extend).

  Input:
    KEYS[1] leader key

    ARGV[1] owner token  exactly as passed to acquireLease
    ARGV[2] ttl          new lease length in milliseconds, counted from now (PEXPIRE)

  Output:
    1  extended
    0  the lease expired or belongs to someone else: the caller must step down at once
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
