import { Counter } from 'prom-client';
import { HttpMetrics } from '@obmeet/service-kit';

/** One registry per cloud instance (tests run several). No label carries a workspace id or token. */
export class Metrics extends HttpMetrics {
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
    super('obmeet_cloud');
  }
}
