/**
 * Checks an ACCEPT call against the outstanding offers before anything is applied: the offers exist, belong to
 * the caller and share one agent; every LAUNCH is well formed, uses fresh task ids, targets that agent, and all
 * launches together fit in what was offered. Pure apart from the read-only lookups passed in.
 */
import { addResources, containsResources, emptyResources, subtractResources } from '../resources/resources.ts';
import { describeShortfall } from '../resources/shortfall.ts';
import type { Resources } from '../resources/types.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { CallError, Offer, TaskInfo } from '../sdk/protocol.ts';
import { refuseMs, validateIdList, validateTaskInfo } from './validation.ts';

export interface AcceptPlan {
  offers: Offer[];
  agentId: string;
  tasks: TaskInfo[];
  /** Offered resources no launch uses; they go back to the allocator under the call's filter. */
  remaining: Resources;
  refuseMs: number;
}

export interface AcceptLookups {
  offer(offerId: string): Offer | undefined;
  taskExists(taskId: string): boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function planAccept(frameworkId: string, call: Record<string, unknown>, lookups: AcceptLookups): Result<AcceptPlan, CallError> {
  const ids = validateIdList(call.offerIds, 'offerIds', 1000);
  if (!ids.ok) return ids;
  const offers: Offer[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < ids.value.length; i++) {
    const id = ids.value[i];
    const offer = lookups.offer(id);
    if (!offer || offer.frameworkId !== frameworkId) {
      return err({ code: 'OFFER_NOT_FOUND', field: `offerIds[${i}]`, message: `offer ${id} is not outstanding for this framework (accepted, declined, rescinded or never made)` });
    }
    if (seen.has(id)) return err({ code: 'INVALID_OFFERS', field: `offerIds[${i}]`, message: `offer ${id} is listed twice` });
    seen.add(id);
    if (offers.length > 0 && offer.agentId !== offers[0].agentId) {
      return err({ code: 'INVALID_OFFERS', field: `offerIds[${i}]`, message: 'all offers of one ACCEPT must come from the same agent' });
    }
    offers.push(offer);
  }
  const agentId = offers[0].agentId;
  let remaining = offers.reduce<Resources>((acc, o) => addResources(acc, o.resources), emptyResources());

  const filter = refuseMs(call.filters);
  if (!filter.ok) return filter;

  const operations = call.operations ?? [];
  if (!Array.isArray(operations) || operations.length > 100) return err({ code: 'INVALID_FIELD', field: 'operations', message: 'operations must be a list of at most 100 operations' });
  const tasks: TaskInfo[] = [];
  const taskIds = new Set<string>();
  for (let i = 0; i < operations.length; i++) {
    const op = operations[i];
    if (!isRecord(op) || op.type !== 'LAUNCH') {
      return err({ code: 'INVALID_FIELD', field: `operations[${i}].type`, message: 'the only supported operation type is LAUNCH' });
    }
    if (!Array.isArray(op.tasks) || op.tasks.length === 0 || op.tasks.length > 10_000) {
      return err({ code: 'INVALID_FIELD', field: `operations[${i}].tasks`, message: 'LAUNCH needs 1 to 10000 tasks' });
    }
    for (let j = 0; j < op.tasks.length; j++) {
      const field = `operations[${i}].tasks[${j}]`;
      const task = validateTaskInfo(op.tasks[j], field);
      if (!task.ok) return task;
      const t = task.value;
      if (t.agentId !== agentId) return err({ code: 'INVALID_FIELD', field: `${field}.agentId`, message: `task ${t.taskId} names agent ${t.agentId} but the offers are for agent ${agentId}` });
      if (taskIds.has(t.taskId) || lookups.taskExists(t.taskId)) {
        return err({ code: 'TASK_ID_IN_USE', field: `${field}.taskId`, message: `task id ${t.taskId} is already in use` });
      }
      if (!containsResources(remaining, t.resources)) {
        return err({ code: 'RESOURCES_INSUFFICIENT', field: `${field}.resources`, message: `task ${t.taskId} needs more than the offers have left: ${describeShortfall(t.resources, remaining)}` });
      }
      remaining = subtractResources(remaining, t.resources);
      taskIds.add(t.taskId);
      tasks.push(t);
    }
  }
  return ok({ offers, agentId, tasks, remaining, refuseMs: filter.value });
}
