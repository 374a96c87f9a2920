import { describe, expect, it } from 'vitest';
import { archiveKind, cacheKeyOf, planFetch, redactUri } from './fetch-plan.ts';

describe('planFetch', () => {
  it('extracts archives by default, names the file after the last segment, caches only http(s) with cache: true', () => {
    const p = planFetch({ value: 'https://user:pw@artifacts.example/releases/etl.tgz?sig=1', cache: true });
    expect(p).toEqual({
      ok: true,
      value: { display: 'https://artifacts.example/releases/etl.tgz?sig=1', source: { kind: 'http', url: 'https://user:pw@artifacts.example/releases/etl.tgz?sig=1' }, outputFile: 'etl.tgz', extract: 'tar', executable: false, cacheKey: cacheKeyOf('https://user:pw@artifacts.example/releases/etl.tgz?sig=1') },
    });
    expect(planFetch({ value: 'file:///opt/app.zip', cache: true })).toMatchObject({ ok: true, value: { source: { kind: 'file', path: '/opt/app.zip' }, extract: 'zip' } });
    expect(planFetch({ value: '/opt/app.zip' }).ok && (planFetch({ value: '/opt/app.zip' }) as { value: object }).value).not.toHaveProperty('cacheKey');
  });

  it('executable disables extraction; extract: false keeps the archive as is; outputFile renames', () => {
    expect(planFetch({ value: 'http://h/tool.tar.gz', executable: true })).toMatchObject({ ok: true, value: { executable: true, outputFile: 'tool.tar.gz' } });
    expect((planFetch({ value: 'http://h/tool.tar.gz', executable: true }) as { value: object }).value).not.toHaveProperty('extract');
    expect((planFetch({ value: 'http://h/a.tar', extract: false }) as { value: object }).value).not.toHaveProperty('extract');
    expect(planFetch({ value: 'http://h/a', outputFile: 'bin/run' })).toMatchObject({ ok: true, value: { outputFile: 'bin/run' } });
  });

  it('refuses other schemes, paths that leave the sandbox and URIs without a file name', () => {
    expect(planFetch({ value: 'ftp://h/a.tgz' })).toMatchObject({ ok: false, error: expect.stringContaining('ftp:') });
    expect(planFetch({ value: 'http://h/a', outputFile: '../../etc/passwd' })).toMatchObject({ ok: false });
    expect(planFetch({ value: 'http://h/a', outputFile: '/etc/passwd' })).toMatchObject({ ok: false });
    expect(planFetch({ value: 'http://h/' })).toMatchObject({ ok: false, error: expect.stringContaining('outputFile') });
    expect(planFetch({ value: 'relative/path' })).toMatchObject({ ok: false });
  });

  it('knows archive extensions and hides credentials', () => {
    expect(['a.tar', 'a.tar.gz', 'a.tgz', 'a.tar.bz2', 'a.tar.xz', 'a.zip', 'a.gz', 'a.jar'].map(archiveKind)).toEqual(['tar', 'tar', 'tar', 'tar', 'tar', 'zip', undefined, undefined]);
    expect(redactUri('https://me:secret@h/x')).toBe('https://h/x');
    expect(redactUri('/plain/path')).toBe('/plain/path');
  });
});
