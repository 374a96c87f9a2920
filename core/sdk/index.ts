/** The public surface of the framework SDK: what services import from the core. */
export { SchedulerDriver, type Scheduler, type DriverOptions, type FrameworkIdStore } from './scheduler-driver.ts';
export { InProcessTransport } from './in-process-transport.ts';
export { HttpTransport, type HttpTransportOptions } from './http-transport.ts';
export type { Transport } from './transport.ts';
export {
  TaskState,
  TaskReason,
  isTerminal,
  type TaskInfo,
  type TaskStatus,
  type Offer,
  type FrameworkInfo,
  type Filters,
  type Operation,
  type CommandInfo,
  type HealthCheck,
  type UriInfo,
  type CallError,
  type MasterEndpoint,
} from './protocol.ts';
export type { Resources, Attributes } from '../resources/types.ts';
export { parseConstraints, unmetConstraint, type Constraint } from './constraints.ts';
export {
  addResources,
  containsResources,
  emptyResources,
  formatResources,
  isEmptyResources,
  parseResources,
  resourcesFromRequest,
  subtractResources,
  takePorts,
} from '../resources/resources.ts';
export { describeShortfall } from '../resources/shortfall.ts';
