/**
 * The two steps of a clean stop that need the term's master (see `stopOrrery` in orrery.ts):
 *
 *   stopOffers(master)            no offers from now on: every agent and framework leaves the allocation cycle and
 *                                 outstanding offers are rescinded, so nothing is launched on agents about to stop
 *                                 (their tasks' ends would otherwise be relaunched at once);
 *   unacknowledgedUpdates(master) how many status updates the master still holds for a connected framework: the
 *                                 agents' last updates have been handled (and written) by the frameworks once it is 0.
 *
 * In memory only: nothing is persisted, and a term's master is thrown away when the term ends.
 */
import type { Master } from '../../core/master/master.ts';

export function stopOffers(master: Master): void {
  for (const agentId of master.agents.keys()) {
    master.allocator.deactivateAgent(agentId);
    for (const offer of master.offers.onAgent(agentId)) master.rescind(offer);
  }
  // An agent that registers again meanwhile is active again; its offers would still find no framework.
  for (const frameworkId of master.frameworks.keys()) master.allocator.deactivateFramework(frameworkId);
}

export function unacknowledgedUpdates(master: Master): number {
  let n = 0;
  for (const rec of master.tasks.all()) {
    if (rec.pending.length === 0) continue;
    const fw = master.frameworks.get(rec.frameworkId);
    // A framework that is not connected cannot acknowledge now; it gets the update when it subscribes again.
    if (fw?.active && fw.conn) n++;
  }
  return n;
}
