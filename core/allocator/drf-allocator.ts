import type { Resources } from '../resources/types.ts';
import {
  addResources,
  containsResources,
  formatResources,
  isEmptyResources,
  subtractResources,
} from '../resources/resources.ts';
import { OfferFilters, type Filter, type FilterHolder } from './offer-filters.ts';
import { moveAfterIncrease } from './fair-order.ts';
import { DrfSorter, type FrameworkState } from './drf-sorter.ts';
import { vectorContains, type ScalarVector } from './scalar-index.ts';

export interface AllocatorOptions {
  /**
   * An agent's available resources are offered only if they contain ANY of these (Mesos
   * `--min_allocatable_resources`, default `cpus:0.01|mem:32`), so crumbs are not offered forever.
   * An empty list offers any non-empty remainder.
   */
  minAllocatable?: Resources[];
  /** Shuffles agents each cycle, as Mesos does, so no agent is always first. Tests inject a seeded one. */
  random?: () => number;
}

/** One agent's whole available set for one framework. The master turns it into an offer. */
export interface Grant {
  frameworkId: string;
  agentId: string;
  resources: Resources;
}

/**
 * A class rather than a literal: grants live until the master has made offers of them, and V8 moves a
 * literal's allocation site to the old generation once enough of its objects survive a while.
 */
class CycleGrant implements Grant {
  constructor(
    public frameworkId: string,
    public agentId: string,
    public resources: Resources,
  ) {}
}

export interface FrameworkAllocationInfo {
  role: string;
  /** Framework weight within its role, default 1. */
  weight?: number;
  suppressed?: boolean;
}

interface AgentState extends FilterHolder {
  readonly id: string;
  readonly total: Resources;
  /** Invariant: total = available + Σ allocations; EMPTY when nothing is free. */
  available: Resources;
  active: boolean;
  /**
   * Who holds what here: the first `holderCount` entries of these parallel arrays, in no order. Arrays rather than
   * a Map because most agents gain and lose an entry every cycle (a grant, then its decline), and a Map
   * reallocates its hash table each time it empties; these only grow, to the most holders the agent had.
   */
  readonly holders: Array<FrameworkState | undefined>;
  readonly heldResources: Array<Resources | undefined>;
  holderCount: number;
  readonly filters: Filter[];
  readonly filterOwners: number[];
}

const EMPTY: Resources = Object.freeze({ scalars: Object.freeze({}), ranges: Object.freeze({}), sets: Object.freeze({}) }) as Resources;
const DEFAULT_MIN_ALLOCATABLE: Resources[] = [
  { scalars: { cpus: 0.01 }, ranges: {}, sets: {} },
  { scalars: { mem: 32 }, ranges: {}, sets: {} },
];
/** Role of a framework known only through allocations, until it subscribes. */
const PENDING_ROLE = '*';

const orEmpty = (r: Resources): Resources => (isEmptyResources(r) ? EMPTY : r);

/**
 * Dominant Resource Fairness over whole agents (Mesos `HierarchicalDRF`, without quota or reservations).
 *
 * Pure and synchronous: the master tells it about agents and frameworks, calls `runCycle(now)` and turns
 * the returned grants into offers; the allocator calls nothing. Granted resources count as allocated until
 * the master `recover`s them (decline, rescind, unused part of an accept, finished task).
 *
 * Ordering: calls are applied in the order made; ids unknown to lifecycle calls (remove, (de)activate,
 * suppress, revive, recover) are ignored because those calls may race a removal. All inputs must be
 * normalized Resources (as the resources module returns them) and are never mutated; returned Resources
 * are shared, immutable values.
 */
export class DrfAllocator {
  private readonly minAllocatable: Resources[];
  private readonly random: () => number;
  private readonly agents = new Map<string, AgentState>();
  /** Same agents as `agents`, kept in an array so each cycle can shuffle without rebuilding a map. */
  private readonly agentList: AgentState[] = [];
  private readonly sorter = new DrfSorter();
  private readonly frameworks = this.sorter.frameworks;
  /** `minAllocatable` entries that are scalars only, checked on cached vectors; others use containsResources. */
  private readonly minVectors: Array<ScalarVector | undefined>;
  private readonly filters = new OfferFilters();

  constructor(opts: AllocatorOptions = {}) {
    this.minAllocatable = opts.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
    this.random = opts.random ?? Math.random;
    this.minVectors = this.minAllocatable.map((min) =>
      Object.keys(min.ranges).length === 0 && Object.keys(min.sets).length === 0 ? this.sorter.scalars.vectorOf(min) : undefined,
    );
  }

  /**
   * `allocated` are resources already in use on the agent (tasks recovered after a failover), possibly
   * for frameworks that have not subscribed yet. Throws if the id exists or `allocated` does not fit `total`.
   */
  addAgent(agentId: string, total: Resources, allocated: Array<{ frameworkId: string; resources: Resources }> = []): void {
    if (this.agents.has(agentId)) throw new Error(`addAgent: agent ${agentId} already added`);
    let used: Resources = EMPTY;
    for (const a of allocated) used = addResources(used, a.resources);
    if (!containsResources(total, used)) {
      throw new Error(`addAgent: allocations '${formatResources(used)}' exceed agent ${agentId} total '${formatResources(total)}'`);
    }
    const agent: AgentState = { id: agentId, total, available: orEmpty(total), active: true, holders: new Array(4), heldResources: new Array(4), holderCount: 0, filters: [], filterOwners: [] };
    this.agents.set(agentId, agent);
    this.agentList.push(agent);
    this.sorter.addToTotals(total, 1);
    for (const a of allocated) this.allocate(a.frameworkId, agentId, a.resources);
  }

  /** Frees everything allocated on the agent and drops its filters. */
  removeAgent(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    for (let i = 0; i < agent.holderCount; i++) {
      const fw = agent.holders[i]!;
      fw.holdings--;
      this.sorter.track(fw, agent.heldResources[i]!, -1);
      this.dropIfPendingAndIdle(fw);
    }
    this.filters.clearHolder(agent);
    this.agents.delete(agentId);
    const i = this.agentList.indexOf(agent);
    this.agentList[i] = this.agentList[this.agentList.length - 1];
    this.agentList.pop();
    this.sorter.addToTotals(agent.total, -1);
  }

  /** Deactivated agents (draining, disconnected) keep their allocations and count in totals but get no offers. */
  activateAgent(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent) agent.active = true;
  }

  deactivateAgent(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent) agent.active = false;
  }

  /** Adds an active framework, or updates one (role, weight, suppression) and activates it, keeping its allocations. */
  addFramework(frameworkId: string, info: FrameworkAllocationInfo): void {
    if (typeof info.role !== 'string' || info.role === '') throw new Error(`addFramework: framework ${frameworkId} needs a role`);
    const weight = info.weight ?? 1;
    if (!Number.isFinite(weight) || weight <= 0) throw new Error(`addFramework: weight ${weight} must be a positive number`);
    const existing = this.frameworks.get(frameworkId);
    if (existing) {
      this.sorter.update(existing, info.role, weight);
      existing.suppressed = info.suppressed ?? false;
      existing.active = true;
      existing.registered = true;
      return;
    }
    this.sorter.add(frameworkId, info.role, weight, { active: true, registered: true, suppressed: info.suppressed ?? false });
  }

  /** Releases all its allocations and filters. O(agents): rare, and it keeps grants cheap. */
  removeFramework(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return;
    for (let i = 0; i < this.agentList.length && fw.holdings > 0; i++) {
      const agent = this.agentList[i];
      const at = holderIndex(agent, fw);
      if (at < 0) continue;
      const res = agent.heldResources[at]!;
      fw.holdings--;
      dropHolderAt(agent, at);
      agent.available = agent.available === EMPTY ? res : addResources(agent.available, res);
    }
    this.sorter.remove(fw);
    this.filters.clearFramework(fw.seq, this.agentList);
  }

  /** Disconnected frameworks keep their allocations but get no offers. */
  activateFramework(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (fw) fw.active = true;
  }

  deactivateFramework(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (fw) fw.active = false;
  }

  setRoleWeight(role: string, weight: number): void {
    if (!Number.isFinite(weight) || weight <= 0) throw new Error(`setRoleWeight: weight ${weight} must be a positive number`);
    this.sorter.setRoleWeight(role, weight);
  }

  /**
   * Marks resources as allocated outside a cycle (tasks found running after a failover). An unknown
   * framework is tracked as pending (role `*`, no offers) until `addFramework`. Throws if the agent is
   * unknown or the resources are not available on it: that would over-allocate the agent.
   */
  allocate(frameworkId: string, agentId: string, resources: Resources): void {
    const agent = this.agents.get(agentId);
    if (!agent) throw new Error(`allocate: unknown agent ${agentId}`);
    if (isEmptyResources(resources)) return;
    if (!containsResources(agent.available, resources)) {
      throw new Error(
        `allocate: '${formatResources(resources)}' is not available on agent ${agentId} (available '${formatResources(agent.available)}')`,
      );
    }
    const fw =
      this.frameworks.get(frameworkId) ??
      this.sorter.add(frameworkId, PENDING_ROLE, 1, { active: false, registered: false, suppressed: false });
    this.assign(fw, agent, resources);
  }

  /**
   * Resources come back from a framework: a declined or rescinded offer, the unused part of an accepted
   * one, a finished task. With `refuseMs > 0` (and `now`, required then) the framework is not offered this
   * agent again before `now + refuseMs`, unless the agent's available set grows beyond what was refused.
   * Throws if the framework does not hold these resources on the agent (they would be freed twice).
   */
  recover(frameworkId: string, agentId: string, resources: Resources, opts: { refuseMs?: number; now?: number } = {}): void {
    const agent = this.agents.get(agentId);
    const fw = this.frameworks.get(frameworkId);
    if (!agent || !fw || isEmptyResources(resources)) return;
    const at = holderIndex(agent, fw);
    const held = at < 0 ? undefined : agent.heldResources[at];
    if (!held || (held !== resources && !containsResources(held, resources))) {
      throw new Error(
        `recover: framework ${frameworkId} does not hold '${formatResources(resources)}' on agent ${agentId} (holds '${formatResources(held ?? EMPTY)}')`,
      );
    }
    const left = held === resources ? EMPTY : orEmpty(subtractResources(held, resources));
    if (left === EMPTY) {
      dropHolderAt(agent, at);
      fw.holdings--;
    } else {
      agent.heldResources[at] = left;
    }
    agent.available = agent.available === EMPTY ? resources : addResources(agent.available, resources);
    this.sorter.track(fw, resources, -1);
    if (this.dropIfPendingAndIdle(fw)) return;
    const refuseMs = opts.refuseMs ?? 0;
    if (refuseMs > 0) {
      if (typeof opts.now !== 'number') throw new Error('recover: refuseMs needs now');
      this.filters.add(fw.seq, agent, resources, opts.now + refuseMs);
    }
  }

  /** No offers until `revive`. */
  suppress(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (fw) fw.suppressed = true;
  }

  /** Clears the framework's filters and un-suppresses it. */
  revive(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return;
    fw.suppressed = false;
    this.filters.clearFramework(fw.seq, this.agentList);
  }

  /**
   * One allocation cycle. Active agents with offerable resources are visited in random order; each goes
   * whole to the lowest (role share ÷ role weight) role that has an eligible framework, and within it to
   * the lowest (framework share ÷ weight) eligible framework (active, registered, not suppressed, not
   * filtered on that agent). Grants count as allocated at once and shares update after each one.
   * Cost: O(agents × log frameworks) plus the number of live filters.
   */
  runCycle(now: number): Grant[] {
    this.filters.expire(now);
    const roles = this.sorter.queues();
    const grants: Grant[] = [];
    if (roles.length === 0) return grants;
    const order = this.shuffledCandidates();
    for (const agent of order) {
      const available = agent.available;
      if (!this.offerable(available)) continue;
      const mayBeFiltered = agent.filters.length > 0;
      search: for (let r = 0; r < roles.length; r++) {
        const role = roles[r];
        const queue = role.queue;
        for (let f = 0; f < queue.length; f++) {
          const fw = queue[f];
          if (mayBeFiltered && this.filters.isFiltered(fw.seq, agent, available, now)) continue;
          this.assign(fw, agent, available);
          grants.push(new CycleGrant(fw.name, agent.id, available));
          moveAfterIncrease(queue, f);
          moveAfterIncrease(roles, r);
          break search;
        }
      }
    }
    return grants;
  }

  /** Dominant share (unweighted) of every framework. */
  frameworkShares(): Map<string, number> {
    return this.sorter.frameworkShares();
  }

  /** Dominant share (unweighted) of every role that has frameworks. */
  roleShares(): Map<string, number> {
    return this.sorter.roleShares();
  }

  available(agentId: string): Resources | undefined {
    return this.agents.get(agentId)?.available;
  }

  /** Sum of the framework's allocations over all agents; empty for an unknown framework. O(agents). */
  allocatedTo(frameworkId: string): Resources {
    const fw = this.frameworks.get(frameworkId);
    let sum: Resources = EMPTY;
    if (!fw) return sum;
    for (const agent of this.agentList) {
      const at = holderIndex(agent, fw);
      if (at >= 0) sum = sum === EMPTY ? agent.heldResources[at]! : addResources(sum, agent.heldResources[at]!);
    }
    return sum;
  }

  stats(): { agents: number; frameworks: number; filters: number } {
    return { agents: this.agents.size, frameworks: this.frameworks.size, filters: this.filters.count() };
  }

  /** Moves `res` (contained in the agent's available set) to the framework. */
  private assign(fw: FrameworkState, agent: AgentState, res: Resources): void {
    agent.available = res === agent.available ? EMPTY : orEmpty(subtractResources(agent.available, res));
    const at = holderIndex(agent, fw);
    if (at >= 0) {
      agent.heldResources[at] = addResources(agent.heldResources[at]!, res);
    } else {
      agent.holders[agent.holderCount] = fw;
      agent.heldResources[agent.holderCount] = res;
      agent.holderCount++;
      fw.holdings++;
    }
    this.sorter.track(fw, res, 1);
  }

  /** Active agents with something free, Fisher–Yates shuffled. */
  private shuffledCandidates(): AgentState[] {
    const order: AgentState[] = [];
    for (const agent of this.agentList) if (agent.active && agent.available !== EMPTY) order.push(agent);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private offerable(available: Resources): boolean {
    if (available === EMPTY) return false;
    if (this.minAllocatable.length === 0) return true;
    const have = this.sorter.scalars.vectorOf(available);
    for (let i = 0; i < this.minAllocatable.length; i++) {
      const want = this.minVectors[i];
      if (want ? vectorContains(have, want) : containsResources(available, this.minAllocatable[i])) return true;
    }
    return false;
  }

  /** A framework known only through allocations is forgotten once it holds nothing. */
  private dropIfPendingAndIdle(fw: FrameworkState): boolean {
    if (fw.registered || fw.holdings > 0) return false;
    this.removeFramework(fw.name);
    return true;
  }
}

function holderIndex(agent: AgentState, fw: FrameworkState): number {
  for (let i = 0; i < agent.holderCount; i++) if (agent.holders[i] === fw) return i;
  return -1;
}

/** Moves the last entry into slot `at`; the freed slot keeps no reference to a framework that may be removed. */
function dropHolderAt(agent: AgentState, at: number): void {
  const last = agent.holderCount - 1;
  agent.holders[at] = agent.holders[last];
  agent.heldResources[at] = agent.heldResources[last];
  agent.holders[last] = undefined;
  agent.heldResources[last] = undefined;
  agent.holderCount = last;
}
