import { Counter, Gauge } from 'prom-client';
import { HttpMetrics } from '@obmeet/service-kit';

/** One registry per server process (not module level, so tests can run several servers). */
export class Metrics extends HttpMetrics {
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

  /** pushes per token by outcome: delivered, rejected (token deleted), failed (kept), dropped (queue full; per message) */
  readonly pushNotifications = new Counter({
    name: 'obmeet_push_notifications_total',
    help: 'Push notifications handed to the vendor push gateway, by outcome',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    super('obmeet', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  }
}
