import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per service instance (not module level, so tests can run several), with the
 * process metrics and the HTTP request counters every service exposes on /metrics.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'status'>;
  readonly httpDuration: Histogram<'method'>;

  constructor(prefix: string, durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]) {
    this.httpRequests = new Counter({ name: `${prefix}_http_requests_total`, help: 'HTTP requests by method and status', labelNames: ['method', 'status'], registers: [this.registry] });
    this.httpDuration = new Histogram({ name: `${prefix}_http_request_duration_seconds`, help: 'HTTP request duration', labelNames: ['method'], buckets: durationBuckets, registers: [this.registry] });
    collectDefaultMetrics({ register: this.registry });
  }
}
