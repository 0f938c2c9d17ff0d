import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per cloud instance (tests run several). No label carries a workspace id or token. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'obmeet_cloud_http_requests_total',
    help: 'HTTP requests by method and status',
    labelNames: ['method', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'obmeet_cloud_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly pushMessages = new Counter({
    name: 'obmeet_cloud_push_messages_total',
    help: 'Push messages by result (delivered, rejected, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly pushRetries = new Counter({
    name: 'obmeet_cloud_push_retries_total',
    help: 'Gateway-level retries of transient FCM failures (tokens resent)',
    registers: [this.registry],
  });
  readonly registrations = new Counter({
    name: 'obmeet_cloud_registrations_total',
    help: 'Registry events (redeemed, refreshed, revoked, unregistered)',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });
  readonly statistics = new Counter({
    name: 'obmeet_cloud_statistics_received_total',
    help: 'Statistics documents accepted, by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
