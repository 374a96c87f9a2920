/**
 * The agent's fetcher (Mesos' `mesos-fetcher`, in process): a task's URIs, one after the other, into its sandbox
 * before the executor starts. http(s) by `fetch` with a stall timeout, file URIs and absolute paths copied;
 * archives unpacked (archive.ts), `executable` files chmod 755. URIs with `cache: true` are downloaded once into
 * `<workDir>/fetcher-cache/<sha256(uri)>` and copied or extracted from there; concurrent fetches of one URI
 * share the download. The cache is cleared when the agent starts (as Mesos does), so it never serves a file an
 * older agent half wrote.
 */
import { createWriteStream } from 'node:fs';
import { chmod, copyFile, mkdir, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../errors/result.ts';
import type { Logger } from '../../logging/logger.ts';
import type { UriInfo } from '../../sdk/protocol.ts';
import { extractArchive } from './archive.ts';
import { planFetch, redactUri, type FetchPlan } from './fetch-plan.ts';

export interface UriFetcherOptions {
  /** Where cached downloads live; created (emptied) by `init`. */
  cacheDir: string;
  log: Logger;
  /** A download that receives nothing for this long fails. Default 60000 (Mesos' `--fetcher_stall_timeout`). */
  stallTimeoutMs?: number;
}

/** Why a fetch failed, for the task's FAILED message: names the URI (credentials removed). */
export interface FetchFailure {
  uri: string;
  message: string;
}

/** What the fetcher did since the agent started, per URI (read by metrics at scrape time). */
export interface FetcherCounters {
  fetched: number;
  failed: number;
  /** Time spent fetching, successes and failures alike. */
  seconds: number;
}

export class UriFetcher {
  readonly counters: FetcherCounters = { fetched: 0, failed: 0, seconds: 0 };
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly stallMs: number;

  constructor(private readonly opts: UriFetcherOptions) {
    this.stallMs = opts.stallTimeoutMs ?? 60_000;
  }

  async init(): Promise<void> {
    await rm(this.opts.cacheDir, { recursive: true, force: true });
    await mkdir(this.opts.cacheDir, { recursive: true });
  }

  /** Fetches every URI in order into `sandbox` (which exists); stops at the first failure or when `signal` aborts. */
  async fetchAll(uris: readonly UriInfo[], sandbox: string, log: Logger, signal?: AbortSignal): Promise<Result<void, FetchFailure>> {
    for (const uri of uris) {
      const shown = redactUri(String(uri?.value ?? ''));
      if (signal?.aborted) return err({ uri: shown, message: 'aborted' });
      const plan = planFetch(uri);
      if (!plan.ok) {
        this.counters.failed++;
        return err({ uri: shown, message: plan.error });
      }
      const started = performance.now();
      try {
        await this.fetchOne(plan.value, sandbox, signal);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.counters.failed++;
        this.counters.seconds += (performance.now() - started) / 1000;
        log.warn({ uri: plan.value.display, err: message }, 'fetch failed');
        return err({ uri: plan.value.display, message });
      }
      this.counters.fetched++;
      this.counters.seconds += (performance.now() - started) / 1000;
      log.debug({ uri: plan.value.display, ms: Math.round(performance.now() - started), cached: plan.value.cacheKey !== undefined }, 'fetched');
    }
    return ok(undefined);
  }

  private async fetchOne(plan: FetchPlan, sandbox: string, signal?: AbortSignal): Promise<void> {
    const target = join(sandbox, plan.outputFile);
    await mkdir(dirname(target), { recursive: true });
    // An earlier URI may have unpacked a symlink where this one's directory is: never write through it.
    const [realSandbox, realDir] = await Promise.all([realpath(sandbox), realpath(dirname(target))]);
    const rel = relative(realSandbox, realDir);
    if (rel.startsWith(`..${sep}`) || rel === '..') throw new Error(`outputFile ${plan.outputFile} resolves outside the sandbox`);
    let local: string;
    if (plan.source.kind === 'file') local = plan.source.path;
    else if (plan.cacheKey) local = await this.cached(plan.cacheKey, plan.source.url);
    else {
      await this.download(plan.source.url, target, signal);
      local = target;
    }
    if (plan.extract) {
      const failure = await extractArchive(plan.extract, local, sandbox);
      if (failure) throw new Error(failure);
      return;
    }
    if (local !== target) await copyFile(local, target).catch((e: NodeJS.ErrnoException) => {
      throw new Error(e.code === 'ENOENT' ? `${plan.source.kind === 'file' ? plan.source.path : 'cached copy'}: no such file` : e.message);
    });
    if (plan.executable) await chmod(target, 0o755);
  }

  private cached(key: string, url: string): Promise<string> {
    const path = join(this.opts.cacheDir, key);
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = (async () => {
      const tmp = `${path}.${randomUUID()}.part`;
      try {
        await this.download(url, tmp);
        await rename(tmp, path);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      return path;
    })();
    // A finished download stays available through the file; only failures are retried by the next task.
    this.inFlight.set(key, work);
    work.catch(() => this.inFlight.delete(key));
    return work;
  }

  /** `signal` (the task's kill) aborts it; a cached download is shared by tasks, so it is never given one. */
  private async download(url: string, file: string, signal?: AbortSignal): Promise<void> {
    const abort = new AbortController();
    const stall = setTimeout(() => abort.abort(new Error(`no data for ${this.stallMs} ms`)), this.stallMs);
    const onKill = (): void => abort.abort(new Error('aborted: the task was killed'));
    signal?.addEventListener('abort', onKill, { once: true });
    try {
      const res = await fetch(url, { signal: abort.signal, redirect: 'follow' });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      const watchdog = new Transform({
        transform(chunk, _enc, done) {
          stall.refresh();
          done(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), watchdog, createWriteStream(file, { mode: 0o644 }));
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause;
      const reason = abort.signal.aborted ? (abort.signal.reason as Error).message : cause instanceof Error ? cause.message : (e as Error).message;
      throw new Error(reason);
    } finally {
      clearTimeout(stall);
      signal?.removeEventListener('abort', onKill);
    }
  }
}
