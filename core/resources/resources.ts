/**
 * The public surface of the resource model: text and JSON readers/writers plus arithmetic.
 * Import from here; the other files in this folder are implementation.
 */
export type { Attributes, Range, Resources } from './types.ts';
export {
  addResources,
  containsResources,
  emptyResources,
  equalResources,
  isEmptyResources,
  normalizeResources,
  resourcesFromRequest,
  scalarOf,
  subtractResources,
  takePorts,
  type ResourceRequest,
} from './arithmetic.ts';
export { formatAttributes, formatResources, parseAttributes, parseResources, type ParseError } from './resource-text.ts';
export { fromMesosJson, toMesosJson, type MesosResource } from './mesos-json.ts';
export { rangesIntersect, rangesSize } from './ranges.ts';
export { setsIntersect } from './sets.ts';
