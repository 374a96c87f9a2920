/**
 * The shapes the UI reads from the core's API, named from ui/src/api/schema.ts — the types openapi-typescript
 * generates from api-spec/openapi.yaml (`npm run spec:ui`, run by `npm run spec`). Nothing here is written by hand:
 * a field the UI needs must be in the server's response schema, hence in the spec.
 */
import type { operations } from './schema.ts';

/** The JSON body of operation `Op`'s `Status` response (operation ids as in the spec). */
export type ResponseOf<Op extends keyof operations, Status extends keyof operations[Op]['responses']> = operations[Op]['responses'][Status] extends {
  content: { 'application/json': infer Body };
}
  ? Body
  : never;

/**
 * `true` only when the runtime list `Listed` names every member of the spec's enum `All`; with `Assert`, a list
 * kept beside an enum (for filters and menus) fails to compile when the spec adds a member.
 */
export type ListsEvery<All, Listed extends All> = [Exclude<All, Listed>] extends [never] ? true : false;
export type Assert<T extends true> = T;

/** GET /v1/state. */
export type ClusterState = ResponseOf<'getState', 200>;
export type Agent = ClusterState['agents'][number];
export type AgentState = Agent['state'];
export type Framework = ClusterState['frameworks'][number];
export type Task = ClusterState['tasks'][number];
export type Resources = Task['resources'];
export type Leader = NonNullable<ClusterState['leader']>;

/** GET /v1/frameworks. */
export type FrameworkList = ResponseOf<'listFrameworks', 200>;
/** GET /v1/tasks. */
export type TaskList = ResponseOf<'listTasks', 200>;
/** GET /v1/tasks/{id}/files/{file}. */
export type FileChunk = ResponseOf<'readTaskFile', 200>;
/** POST /v1/tasks (202). */
export type TaskRef = ResponseOf<'runTask', 202>;

export type TaskState = Task['state'];
/** Every task state, in lifecycle order (the tasks page's state filter). */
export const TASK_STATES = ['PENDING', 'STAGING', 'STARTING', 'RUNNING', 'KILLING', 'FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST', 'DROPPED', 'UNREACHABLE', 'GONE', 'UNKNOWN'] as const satisfies readonly TaskState[];
type _TaskStatesListed = Assert<ListsEvery<TaskState, (typeof TASK_STATES)[number]>>;

const TERMINAL: ReadonlySet<TaskState> = new Set(['FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST', 'DROPPED', 'GONE']);
export const isTerminal = (s: TaskState): boolean => TERMINAL.has(s);
