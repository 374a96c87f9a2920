// Orrery executor launcher helper: a small, long-lived plain-JS Node process the agent starts once and feeds over
// a pipe, so that executors are forked from a process of a few MB instead of from the agent (whose fork cost grows
// with its resident memory: ~1 ms of CPU here at ~10 MB against 5+ ms at ~300 MB, paid twice, by fork and by the
// child's exec). Plain JS on purpose: run by `node` without the TypeScript loader, it stays small.
//
// Protocol (core/agent/helper-executor-spawner.ts is the other side): one JSON object per line.
//   stdin  ← {"id":N,"file":"/bin/sh","args":[…],"cwd":"/sandbox","env":{…}}
//   stdout → {"id":N,"pid":P,"stat":"<text of /proc/P/stat>"}   started (stat read before this helper can reap it)
//            {"id":N,"error":"message"}                          never started
//            {"id":N,"code":C,"signal":S}                        ended (after its start line)
// Every child is detached (own session and process group, stdio on /dev/null), so it outlives this helper.
// The helper exits when its stdin closes (the agent stopped or died); it ignores SIGINT/SIGTERM/SIGHUP so that a
// signal to the agent's process group does not take it down before the agent decides.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => undefined);

let replies = [];
function reply(message) {
  if (replies.length === 0) setImmediate(flush);
  replies.push(JSON.stringify(message));
}
// One write per loop turn: exits reaped together and starts of one request batch reach the agent in one read.
function flush() {
  const text = `${replies.join('\n')}\n`;
  replies = [];
  process.stdout.write(text);
}

function statOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone already: the agent then has a pid without a start time
  }
}

function launch(request) {
  const { id } = request;
  let child;
  try {
    child = spawn(request.file, request.args, { detached: true, stdio: 'ignore', cwd: request.cwd, env: request.env });
  } catch (e) {
    reply({ id, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  const pid = child.pid;
  // A successful spawn sets the pid synchronously; the child cannot be reaped before this loop turn ends.
  if (pid !== undefined) reply({ id, pid, stat: statOf(pid) });
  child.once('error', (e) => {
    if (pid === undefined) reply({ id, error: e.message });
  });
  child.once('exit', (code, signal) => reply({ id, code, signal }));
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let newline = pending.indexOf('\n');
  while (newline >= 0) {
    const line = pending.slice(0, newline);
    pending = pending.slice(newline + 1);
    if (line !== '') launch(JSON.parse(line));
    newline = pending.indexOf('\n');
  }
});
process.stdin.on('end', () => process.exit(0));
process.stdout.on('error', () => process.exit(0));
