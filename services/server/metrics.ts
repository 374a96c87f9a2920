/**
 * One Prometheus registry per server. No metric goes to prom-client's global default registry, so
 * several servers (masters in a cluster test) can live in one process without clashing.
 */
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from 'prom-client';

export const METRIC_PREFIX = 'orrery_';

type Config<C> = Omit<C, 'registers'>;

export interface MetricsRegistryOptions {
  /** Process metrics (CPU, memory, event loop lag, GC) prefixed `orrery_`. Default true. */
  defaultMetrics?: boolean;
  /** Labels added to every metric, e.g. `{ instance: masterId }`. */
  defaultLabels?: Record<string, string>;
}

/**
 * Areas register their metrics through the factory helpers. Names must start with `orrery_`.
 * Asking twice for the same name returns the metric registered first (so a module that is
 * mounted on two servers sharing a registry does not throw); asking for the same name with
 * another metric type is a programming error and throws.
 */
export class MetricsRegistry {
  readonly registry: Registry;

  constructor(opts: MetricsRegistryOptions = {}) {
    this.registry = new Registry();
    if (opts.defaultLabels) this.registry.setDefaultLabels(opts.defaultLabels);
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  counter<L extends string = string>(config: Config<CounterConfiguration<L>>): Counter<L> {
    return this.getOrCreate(config.name, Counter, () => new Counter<L>({ ...config, registers: [this.registry] }));
  }

  gauge<L extends string = string>(config: Config<GaugeConfiguration<L>>): Gauge<L> {
    return this.getOrCreate(config.name, Gauge, () => new Gauge<L>({ ...config, registers: [this.registry] }));
  }

  histogram<L extends string = string>(config: Config<HistogramConfiguration<L>>): Histogram<L> {
    return this.getOrCreate(config.name, Histogram, () => new Histogram<L>({ ...config, registers: [this.registry] }));
  }

  /** The exposition text for `/metrics`. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private getOrCreate<M extends Metric>(name: string, kind: abstract new (...args: never[]) => unknown, create: () => M): M {
    if (!name.startsWith(METRIC_PREFIX)) throw new Error(`metric '${name}' must be named ${METRIC_PREFIX}<area>_<what>`);
    const existing = this.registry.getSingleMetric(name);
    if (existing === undefined) return create();
    if (!(existing instanceof kind)) throw new Error(`metric '${name}' is already registered with another type`);
    return existing as M;
  }
}

/**
 * Memoises `read` for one scrape, for several metrics filled from one pass over the state: the registry calls
 * every metric's `collect()` in the same synchronous turn, so the value is kept until the next microtask.
 */
export function oncePerScrape<T>(read: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => {
    if (cached) return cached.value;
    cached = { value: read() };
    queueMicrotask(() => (cached = undefined));
    return cached.value;
  };
}
