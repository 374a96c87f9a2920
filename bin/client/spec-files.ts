/**
 * Definition files for `jobs add -f` and `apps add -f`: JSON or YAML, one definition or several — a JSON or
 * YAML list, YAML documents separated by `---`, or a mapping with a `jobs:`/`apps:` list. `-f -` reads stdin.
 * Any problem is a UsageError naming the file (and line, for YAML), so a bad file never reaches the API.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../cli-errors.ts';

export interface Definition {
  /** `file` or `file#2` (the second definition in it). */
  source: string;
  body: Record<string, unknown>;
}

export function readDefinitions(files: readonly string[], listKey: 'jobs' | 'apps'): Definition[] {
  if (files.length === 0) throw new UsageError('missing -f FILE (JSON or YAML; -f - reads stdin)');
  const out: Definition[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const items: unknown[] = [];
    for (const doc of parseAllDocuments(text)) {
      const problem = doc.errors[0];
      if (problem) throw new UsageError(`${file}: not valid JSON or YAML: ${problem.message.split('\n')[0]}`);
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) items.push(...value);
      else if (typeof value === 'object' && Array.isArray((value as Record<string, unknown>)[listKey]) && Object.keys(value).length === 1) items.push(...((value as Record<string, unknown[]>)[listKey]));
      else items.push(value);
    }
    if (items.length === 0) throw new UsageError(`${file}: no definition in it`);
    items.forEach((item, i) => {
      const source = items.length > 1 ? `${file}#${i + 1}` : file;
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw new UsageError(`${source}: a definition must be an object, got ${JSON.stringify(item)}`);
      out.push({ source, body: item as Record<string, unknown> });
    });
  }
  return out;
}

/**
 * Jobs in an order the API accepts: parents defined in the same batch before their children (the API refuses
 * unknown parents). Parents outside the batch are left to the API to check. A cycle is left as is, in file
 * order, for the API to reject with the cycle named.
 */
export function parentsFirst(defs: readonly Definition[]): Definition[] {
  const byName = new Map(defs.map((d) => [String(d.body.name), d]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Definition[] = [];
  const visit = (d: Definition): void => {
    const name = String(d.body.name);
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    const parents = Array.isArray(d.body.parents) ? d.body.parents : [];
    for (const p of parents) {
      const parent = byName.get(String(p));
      if (parent) visit(parent);
    }
    visiting.delete(name);
    done.add(name);
    out.push(d);
  };
  defs.forEach(visit);
  return out;
}
