import { describe, expect, it } from 'vitest';
import { describeTarget, parseRedisUrl, redactUrl } from './redis-url.ts';
import { redisOptions } from './redis-client.ts';

const parse = (url: string) => {
  const r = parseRedisUrl(url);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const error = (url: string): string => {
  const r = parseRedisUrl(url);
  if (r.ok) throw new Error(`${url} parsed`);
  return r.error;
};

describe('parseRedisUrl', () => {
  it('reads a plain URL with credentials and a database', () => {
    expect(parse('redis://app:s%40cret@redis.internal:6380/2')).toEqual({ kind: 'standalone', node: { host: 'redis.internal', port: 6380 }, db: 2, username: 'app', password: 's@cret', tls: false });
    expect(parse('redis://:pw@h')).toEqual({ kind: 'standalone', node: { host: 'h', port: 6379 }, db: 0, password: 'pw', tls: false });
    expect(parse('redis://[::1]:7000')).toMatchObject({ node: { host: '::1', port: 7000 } });
  });

  it('reads TLS', () => {
    expect(parse('rediss://h:6390')).toMatchObject({ kind: 'standalone', tls: true });
    expect(redisOptions(parse('rediss://h:6390'), {})).toMatchObject({ host: 'h', port: 6390, tls: {} });
    expect(redisOptions(parse('rediss://h:6390'), { REDIS_TLS_SERVERNAME: 'redis.example' })).toMatchObject({ tls: { servername: 'redis.example' } });
  });

  it('reads Sentinel: sentinels, master name, db, sentinel credentials', () => {
    const t = parse('redis+sentinel://:pw@10.0.0.1:26379,10.0.0.2,10.0.0.3:26380/mymaster/3?sentinelPassword=sp');
    expect(t).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26379 }, { host: '10.0.0.3', port: 26380 }],
      masterName: 'mymaster',
      db: 3,
      password: 'pw',
      sentinelPassword: 'sp',
      tls: false,
    });
    expect(redisOptions(t, {})).toMatchObject({ name: 'mymaster', sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2' }, { port: 26380 }], password: 'pw', sentinelPassword: 'sp', db: 3 });
    expect(redisOptions(parse('rediss+sentinel://h/m'), {})).toMatchObject({ tls: {}, enableTLSForSentinelMode: true });
  });

  it('reads Cluster seed nodes', () => {
    expect(parse('redis+cluster://a:7000,b:7001')).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }], tls: false });
  });

  it('refuses bad URLs with a reason and without the password', () => {
    expect(error('http://h:6379')).toMatch(/unsupported scheme 'http:'/);
    expect(error('localhost:6379')).toMatch(/not a Redis URL/);
    expect(error('redis+sentinel://a:26379,b:26379')).toMatch(/names no master/);
    expect(error('redis://a:1,b:2')).toMatch(/redis\+sentinel/);
    expect(error('redis://h:99999')).toMatch(/out of range/);
    expect(error('redis://h/x')).toMatch(/database/);
    expect(error('redis+cluster://a:7000/0')).toMatch(/no databases/);
    expect(error('redis+sentinel://:hunter2@a:26379,/m')).not.toContain('hunter2');
    expect(error('redis://:hunter2@h:6379/zz')).not.toContain('hunter2');
    expect(error('redis://:hun/ter2@h:6379/zz')).not.toContain('ter2');
    expect(parse('redis://u:p/w@d@h:1')).toMatchObject({ username: 'u', password: 'p/w@d', node: { host: 'h', port: 1 } });
    expect(redactUrl('redis://u:p/w@d@h:1')).toBe('redis://u:***@h:1');
  });

  it('redacts passwords for logs', () => {
    expect(redactUrl('redis+sentinel://u:hunter2@a:1,b:2/m?sentinelPassword=sp2')).toBe('redis+sentinel://u:***@a:1,b:2/m?sentinelPassword=***');
    expect(describeTarget(parse('redis+sentinel://u:hunter2@a:1,b:2/m'))).toBe("sentinel master 'm' via a:1,b:2, db 0");
    expect(describeTarget(parse('rediss://:hunter2@h:6390/1'))).toBe('redis h:6390/1 (tls)');
  });
});
