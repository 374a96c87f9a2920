/**
 * What fetching one URI means, decided without I/O (Mesos' fetcher rules): where the bytes come from, the file
 * name in the sandbox, whether to extract and how, whether to mark it executable, and the cache key.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, normalize, posix } from 'node:path';
import { err, ok, type Result } from '../../errors/result.ts';
import type { UriInfo } from '../../sdk/protocol.ts';

export type ArchiveKind = 'tar' | 'zip';

export type FetchSource = { kind: 'http'; url: string } | { kind: 'file'; path: string };

export interface FetchPlan {
  /** The URI as given, with any user:password removed: what messages and logs show. */
  display: string;
  source: FetchSource;
  /** Relative path of the fetched file in the sandbox. */
  outputFile: string;
  /** Set when the file is an archive to unpack into the sandbox. */
  extract?: ArchiveKind;
  executable: boolean;
  /** Set when the agent's cache may serve (and keep) this URI. */
  cacheKey?: string;
}

const ARCHIVES: Array<[RegExp, ArchiveKind]> = [
  [/\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$/i, 'tar'],
  [/\.zip$/i, 'zip'],
];

/** The archive kind a file name announces, if any (by extension, as Mesos does). */
export function archiveKind(name: string): ArchiveKind | undefined {
  return ARCHIVES.find(([re]) => re.test(name))?.[1];
}

/** `https://user:secret@host/x` → `https://host/x`; other text unchanged. */
export function redactUri(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** The cache key of a URI: its SHA-256, so any URI becomes one safe file name. */
export function cacheKeyOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function planFetch(uri: UriInfo): Result<FetchPlan, string> {
  const value = typeof uri?.value === 'string' ? uri.value : '';
  const display = redactUri(value);
  if (value === '' || value.includes('\0')) return err('the URI is empty');
  let source: FetchSource;
  let lastSegment: string;
  if (isAbsolute(value)) {
    source = { kind: 'file', path: value };
    lastSegment = posix.basename(value);
  } else {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return err(`${display} is not a URI`);
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') source = { kind: 'http', url: url.href };
    else if (url.protocol === 'file:') source = { kind: 'file', path: decodeURIComponent(url.pathname) };
    else return err(`${display}: scheme ${url.protocol} is not supported (http, https, file)`);
    lastSegment = posix.basename(decodeURIComponent(url.pathname));
  }
  const outputFile = uri.outputFile ?? lastSegment;
  if (!outputFile || outputFile === '.' || outputFile === '..') return err(`${display}: no file name; set outputFile`);
  const normal = normalize(outputFile);
  if (isAbsolute(outputFile) || normal.startsWith('..') || normal.includes('\0')) return err(`${display}: outputFile must stay inside the sandbox`);
  const executable = uri.executable === true;
  const kind = archiveKind(outputFile);
  const plan: FetchPlan = { display, source, outputFile: normal, executable };
  // Mesos: `executable` disables extraction; `extract` defaults to true.
  if (kind && !executable && uri.extract !== false) plan.extract = kind;
  if (uri.cache === true && source.kind === 'http') plan.cacheKey = cacheKeyOf(value);
  return ok(plan);
}
