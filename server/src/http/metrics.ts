import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server process (not module level, so tests can run several servers). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'obmeet_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'obmeet_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly socketConnections = new Gauge({
    name: 'obmeet_socket_connections',
    help: 'Connected realtime clients',
    registers: [this.registry],
  });
  readonly messagesSent = new Counter({
    name: 'obmeet_messages_sent_total',
    help: 'Messages stored',
    registers: [this.registry],
  });
  readonly slowClientsDropped = new Counter({
    name: 'obmeet_slow_clients_dropped_total',
    help: 'Realtime clients disconnected because they stopped reading',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
