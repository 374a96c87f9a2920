/** What `orrery up` and `orrery master` print on stdout once they serve (the logs go to stdout too, as JSON). */
export interface UpBannerFacts {
  url: string;
  agents: number;
  redis: { url: string; private: boolean; prefix: string };
  workDir: string;
  keepTasks: boolean;
  /** How the user runs this `orrery` (bin/cli-hint.ts): `orrery`, `npx orrery` or `node …/bin/orrery.js`. */
  cli: string;
}

/** What `orrery up` prints on stdout once it serves: where to look, which Redis and prefix (its cluster), what to try. */
export function upBanner(f: UpBannerFacts): string {
  const agents = f.agents > 1 ? `\n  Agents:  ${f.agents} in this process` : '';
  return `\nOrrery is up: ${f.url}\n  API:     ${f.url}/v1/state\n  Docs:    ${f.url}/docs\n  Metrics: ${f.url}/metrics${agents}\n  Redis:   ${redisLine(f.redis, f.workDir)}\nTry: ${f.cli} agents ls${f.url === 'http://127.0.0.1:5050' ? '' : ` --url ${f.url}`}\nPress Ctrl+C to stop${f.keepTasks ? ' (tasks keep running)' : ' (running tasks are killed)'}.\n`;
}

/** The banner's Redis line: every Orrery using the same Redis and key prefix is one cluster. */
export function redisLine(redis: { url: string; private: boolean; prefix: string }, workDir: string): string {
  const where = redis.private ? `a private redis-server at ${redis.url} (data in ${workDir})` : redis.url;
  return `${where}, key prefix '${redis.prefix}' (one cluster per Redis and prefix: --prefix or REDIS_URL for another)`;
}
