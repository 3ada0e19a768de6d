/**
 * Prometheus metrics for HTTP: request counts and latency per route pattern (never per raw URL,
 * which would make unbounded label sets), plus the process defaults and event-loop delay.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'axon_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'axon_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  /**
   * Each label set's counter and histogram children. prom-client hashes a label object on every
   * `inc`/`observe` (a sort and a string build, tens of µs per request); a child is found once.
   * Bounded like prom-client's own series: route patterns × methods × statuses.
   */
  private readonly children = new Map<string, { readonly count: { inc(): void }; readonly time: { observe(v: number): void } }>();

  /** Hooks the server so every response is counted and timed. */
  instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const status = String(reply.statusCode);
      const key = `${req.method} ${status} ${route}`;
      let child = this.children.get(key);
      if (!child) {
        child = { count: this.requests.labels({ method: req.method, route, status }), time: this.duration.labels({ method: req.method, route }) };
        this.children.set(key, child);
      }
      child.count.inc();
      child.time.observe(reply.elapsedTime / 1000);
    });
  }
}
