import { describe, expect, it } from 'vitest';
import { encodeAppIdInUrl } from './app-paths.ts';

describe('encodeAppIdInUrl', () => {
  it('encodes an unencoded id, reading the sub-resource from the end by method', () => {
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa/web')).toBe('/v1/apps/qa%2Fweb');
    expect(encodeAppIdInUrl('HEAD', '/v1/apps/qa/web')).toBe('/v1/apps/qa%2Fweb');
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa/web/tasks')).toBe('/v1/apps/qa%2Fweb/tasks');
    expect(encodeAppIdInUrl('GET', '/v1/apps/prod/eu/web/versions')).toBe('/v1/apps/prod%2Feu%2Fweb/versions');
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa/web/versions/2026-01-01T00:00:00.000Z')).toBe('/v1/apps/qa%2Fweb/versions/2026-01-01T00:00:00.000Z');
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa/web/pending?x=1')).toBe('/v1/apps/qa%2Fweb/pending?x=1');
    for (const sub of ['scale', 'suspend', 'restart', 'rollback']) expect(encodeAppIdInUrl('POST', `/v1/apps/qa/web/${sub}?force=true`)).toBe(`/v1/apps/qa%2Fweb/${sub}?force=true`);
    expect(encodeAppIdInUrl('DELETE', '/v1/apps/qa/web/tasks/qa_web.123')).toBe('/v1/apps/qa%2Fweb/tasks/qa_web.123');
    expect(encodeAppIdInUrl('DELETE', '/v1/apps/qa/web?force=true')).toBe('/v1/apps/qa%2Fweb?force=true');
    expect(encodeAppIdInUrl('PUT', '/v1/apps/qa/web')).toBe('/v1/apps/qa%2Fweb');
    expect(encodeAppIdInUrl('PATCH', '/v1/apps/qa/web')).toBe('/v1/apps/qa%2Fweb');
    // The id's leading slash, sent as an empty first segment.
    expect(encodeAppIdInUrl('GET', '/v1/apps//qa/web/tasks')).toBe('/v1/apps/qa%2Fweb/tasks');
  });

  it('leaves what the routes already match, and what has no route, as it is', () => {
    expect(encodeAppIdInUrl('GET', '/v1/apps')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps?label=a')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps/web')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps/web/tasks')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps/web/versions/v1')).toBeUndefined();
    expect(encodeAppIdInUrl('DELETE', '/v1/apps/web/tasks/t1')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps/%2Fqa%2Fweb/tasks')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa%2Fweb')).toBeUndefined();
    expect(encodeAppIdInUrl('POST', '/v1/apps/qa/web')).toBeUndefined();
    expect(encodeAppIdInUrl('POST', '/v1/apps/qa/web/tasks')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa//web')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa/web/')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v1/deployments/x/y')).toBeUndefined();
    expect(encodeAppIdInUrl('GET', '/v2/apps/qa/web')).toBeUndefined();
  });

  it('reads a tail that names a sub-resource as one: such ids must be sent encoded', () => {
    // An app /qa/web/pending is valid; unencoded, GET reads it as the pending view of /qa/web.
    expect(encodeAppIdInUrl('GET', '/v1/apps/qa/web/pending')).toBe('/v1/apps/qa%2Fweb/pending');
    // A method without that sub-resource reads the whole path as the id.
    expect(encodeAppIdInUrl('PUT', '/v1/apps/qa/web/pending')).toBe('/v1/apps/qa%2Fweb%2Fpending');
  });
});
