/** What a page shows before its data arrives or when its API fails (including "this server has no such API"). */
import type { ComponentChildren } from 'preact';
import type { ApiProblem } from '../api/http.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function ProblemNote({ problem, what }: { problem: ApiProblem; what: string }) {
  if (problem.routeMissing) {
    return (
      <div class="note note-missing" role="status" data-api-missing="true">
        <strong>{what.charAt(0).toUpperCase() + what.slice(1)} are not available on this server.</strong> Its API answered “{problem.detail}”: this Orrery build does not have that
        part yet.
      </div>
    );
  }
  return (
    <div class="note note-error" role="alert">
      <strong>Could not load {what}:</strong> {problem.detail} <span class="muted">({problem.code})</span>
    </div>
  );
}

/** Loading / error / content, keeping stale content on screen (with the error above it) once there is some. */
export function Loaded<T>({ data, error, what, children }: { data: T | undefined; error: ApiProblem | undefined; what: string; children: (d: T) => ComponentChildren }) {
  if (data === undefined) return error ? <ProblemNote problem={error} what={what} /> : <Loading what={what} />;
  return (
    <>
      {error && <ProblemNote problem={error} what={what} />}
      {children(data)}
    </>
  );
}
