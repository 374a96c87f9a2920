import type { Resources } from '../resources/types.ts';
import { sortRanked, type Ranked } from './fair-order.ts';
import { ScalarIndex, addDense, addVector, dominantShare } from './scalar-index.ts';

/** A role: the first level of the DRF hierarchy (Mesos' role sorter). */
export interface RoleState extends Ranked {
  readonly name: string;
  weight: number;
  readonly frameworks: Set<FrameworkState>;
  /** Scalars allocated to the role's frameworks, in thousandths, indexed by `ScalarIndex`. */
  readonly allocated: number[];
  share: number;
  /** Offerable frameworks in DRF order; rebuilt by `queues()` at the start of each cycle. */
  readonly queue: FrameworkState[];
}

/** A framework: the second level (Mesos' framework sorter, one per role). */
export interface FrameworkState extends Ranked {
  /** The framework id. */
  readonly name: string;
  /** A small integer unique for the sorter's lifetime, used where a number is cheaper than the id. */
  readonly seq: number;
  role: RoleState;
  weight: number;
  active: boolean;
  suppressed: boolean;
  /** False while the framework is known only through allocations (its agent re-registered first). */
  registered: boolean;
  readonly allocated: number[];
  /**
   * Number of agents where it holds allocations. A count, not a set: keeping a set in step cost more per
   * grant than the whole DRF ordering, while only the rare removal and `allocatedTo` need the agents.
   */
  holdings: number;
  share: number;
}

/**
 * Shares and DRF order of roles and frameworks. Owned by `DrfAllocator`, which keeps agents and calls
 * `track` for every allocation change; this class never sees agents, only their scalar totals.
 * Shares are unweighted dominant shares; sort keys (`key`) are share ÷ weight.
 */
export class DrfSorter {
  readonly frameworks = new Map<string, FrameworkState>();
  readonly scalars = new ScalarIndex();
  private readonly roles = new Map<string, RoleState>();
  private readonly roleWeights = new Map<string, number>();
  /** Cluster scalar totals (active and inactive agents), in thousandths. */
  private readonly totals: number[] = [];
  private nextSeq = 0;

  /** An agent joined (+1) or left (−1): every share changes. */
  addToTotals(total: Resources, sign: 1 | -1): void {
    addVector(this.totals, this.scalars.vectorOf(total), sign);
    for (const fw of this.frameworks.values()) this.rank(fw);
    for (const role of this.roles.values()) this.rank(role);
  }

  add(id: string, roleName: string, weight: number, flags: { active: boolean; registered: boolean; suppressed: boolean }): FrameworkState {
    const role = this.roleState(roleName);
    const fw: FrameworkState = { name: id, seq: this.nextSeq++, role, weight, ...flags, allocated: [], holdings: 0, share: 0, key: 0 };
    role.frameworks.add(fw);
    this.frameworks.set(id, fw);
    return fw;
  }

  /** Moves the framework, with its allocations, to another role and/or weight. */
  update(fw: FrameworkState, roleName: string, weight: number): void {
    if (fw.role.name !== roleName) {
      const to = this.roleState(roleName);
      addDense(fw.role.allocated, fw.allocated, -1);
      addDense(to.allocated, fw.allocated, 1);
      this.detach(fw);
      fw.role = to;
      to.frameworks.add(fw);
      this.rank(to);
    }
    fw.weight = weight;
    this.rank(fw);
  }

  /** Forgets the framework; its allocations leave its role's sum. The caller frees them on the agents. */
  remove(fw: FrameworkState): void {
    addDense(fw.role.allocated, fw.allocated, -1);
    this.detach(fw);
    this.frameworks.delete(fw.name);
  }

  setRoleWeight(role: string, weight: number): void {
    this.roleWeights.set(role, weight);
    const state = this.roles.get(role);
    if (state) {
      state.weight = weight;
      this.rank(state);
    }
  }

  /** Keeps framework and role sums, shares and keys in step with an allocation change. */
  track(fw: FrameworkState, res: Resources, sign: 1 | -1): void {
    const v = this.scalars.vectorOf(res);
    addVector(fw.allocated, v, sign);
    addVector(fw.role.allocated, v, sign);
    this.rank(fw);
    this.rank(fw.role);
  }

  /** Roles with at least one offerable framework, each with its `queue` filled, all in DRF order. */
  queues(): RoleState[] {
    const roles: RoleState[] = [];
    for (const role of this.roles.values()) {
      role.queue.length = 0;
      for (const fw of role.frameworks) if (fw.active && fw.registered && !fw.suppressed) role.queue.push(fw);
      if (role.queue.length === 0) continue;
      sortRanked(role.queue);
      roles.push(role);
    }
    return sortRanked(roles);
  }

  frameworkShares(): Map<string, number> {
    const out = new Map<string, number>();
    for (const fw of this.frameworks.values()) out.set(fw.name, fw.share);
    return out;
  }

  roleShares(): Map<string, number> {
    const out = new Map<string, number>();
    for (const role of this.roles.values()) out.set(role.name, role.share);
    return out;
  }

  private rank(x: FrameworkState | RoleState): void {
    x.share = dominantShare(x.allocated, this.totals);
    x.key = x.share / x.weight;
  }

  private roleState(name: string): RoleState {
    let role = this.roles.get(name);
    if (!role) {
      role = { name, weight: this.roleWeights.get(name) ?? 1, frameworks: new Set(), allocated: [], share: 0, key: 0, queue: [] };
      this.roles.set(name, role);
    }
    return role;
  }

  /** Takes the framework out of its role, dropping the role when it becomes empty. */
  private detach(fw: FrameworkState): void {
    const role = fw.role;
    role.frameworks.delete(fw);
    if (role.frameworks.size === 0) this.roles.delete(role.name);
    else this.rank(role);
  }
}
