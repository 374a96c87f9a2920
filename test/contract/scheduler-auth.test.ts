/**
 * Framework authentication on `/api/v1/scheduler` through `inject`: a refusal is a 401 problem with a
 * `WWW-Authenticate` challenge, and it is logged at warn with the principal tried and the reason — never the secret.
 */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildHttpServer } from '../../services/server/http-server.ts';
import { MetricsRegistry } from '../../services/server/metrics.ts';
import { FrameworkAuthenticator } from '../../services/server/routes/scheduler-credentials.ts';
import { schedulerRoutes } from '../../services/server/routes/scheduler-routes.ts';

describe('framework authentication', () => {
  it('refuses bad credentials with 401 and logs who tried, without the secret', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const auth = new FrameworkAuthenticator([{ principal: 'alice', secret: 'alice-secret-1' }]);
    const http = await buildHttpServer({
      logger,
      metrics: new MetricsRegistry({ defaultMetrics: false }),
      routes: [schedulerRoutes({ master: () => { throw new Error('not reached: authentication comes first'); }, frameworkAuth: () => auth })],
    });
    const res = await http.inject({
      method: 'POST',
      url: '/api/v1/scheduler',
      headers: { authorization: `Basic ${Buffer.from('alice:guessed-secret').toString('base64')}` },
      payload: { type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } },
    });
    await http.close();
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['www-authenticate']).toBe('Basic realm="orrery-scheduler"');
    expect(res.json()).toMatchObject({ code: 'ORR_ERR_SCHEDULER_CREDENTIALS_REFUSED', errors: [{ field: 'headers.authorization' }] });
    const refusal = lines.find((l) => l.msg === 'framework authentication refused');
    expect(refusal).toMatchObject({ level: 40, principal: 'alice', reason: 'wrong secret' });
    expect(JSON.stringify(lines)).not.toContain('guessed-secret');
    expect(JSON.stringify(lines)).not.toContain(Buffer.from('alice:guessed-secret').toString('base64'));
  });
});
