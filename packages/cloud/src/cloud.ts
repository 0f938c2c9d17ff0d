import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Db, MongoClient } from 'mongodb';
import { systemClock, type Clock } from './clock.js';
import type { CloudConfig } from './config/config.js';
import { connectMongo, ensureIndexes } from './db/connection.js';
import { AccountsService, AccountsStore, accountIndexes } from './domains/accounts/index.js';
import { PushService, PushStore, pushIndexes, type PushTransport } from './domains/push/index.js';
import { RegistryService, RegistryStore, registryIndexes } from './domains/registry/index.js';
import { StatisticsService, StatisticsStore, statisticsIndexes } from './domains/statistics/index.js';
import { FirebasePushTransport, fcmSettingsFromConfig, type FcmSettings } from './fcm/firebase.js';
import { createHttpApp } from './http/app.js';
import { Metrics } from './http/metrics.js';
import type { Logger } from './logger.js';

/** The services of one cloud instance (composition root: no module-level state). */
export interface Cloud {
  db: Db;
  metrics: Metrics;
  accounts: AccountsService;
  registry: RegistryService;
  push: PushService;
  statistics: StatisticsService;
}

export interface CloudOptions {
  clock?: Clock;
  /**
   * How push reaches FCM. Default: from the configuration (FCM_MODE). Pass `fcm` (project,
   * credential, httpAgent) to drive the real firebase-admin client at a stand-in, or a whole
   * `transport`; `null` disables push.
   */
  fcm?: FcmSettings | null;
  transport?: PushTransport;
}

export function buildCloud(db: Db, config: CloudConfig, logger: Logger, options: CloudOptions = {}): Cloud {
  const clock = options.clock ?? systemClock;
  const metrics = new Metrics();
  const fcm = options.fcm === undefined ? fcmSettingsFromConfig(config.fcm) : (options.fcm ?? undefined);
  const transport = options.transport ?? (fcm ? new FirebasePushTransport(fcm) : undefined);
  const accounts = new AccountsService(new AccountsStore(db), clock, {
    loginPerIpPerMinute: config.loginMaxPerIpPerMinute,
    failuresPerAccount: config.loginMaxFailuresPerAccount,
    signupPerIpPerHour: config.signupMaxPerIpPerHour,
    sessionTtlHours: config.sessionTtlHours,
  });
  const push = new PushService(new PushStore(db), transport, clock, logger, metrics, config.retry, {
    perWorkspacePerMinute: config.pushMaxPerMinute,
  });
  const onRemoved: Array<(workspaceId: string) => Promise<void>> = [];
  const registry = new RegistryService(
    new RegistryStore(db),
    clock,
    { onRemoved, onEvent: (event) => metrics.registrations.inc({ event }) },
    { redeemPerIpPerMinute: config.redeemMaxPerIpPerMinute },
  );
  const statistics = new StatisticsService(new StatisticsStore(db), clock, metrics, (id) => registry.isActive(id), {
    perInstallPerHour: config.statsMaxPerHour,
    anonymousPerIpPerHour: config.statsAnonMaxPerIpPerHour,
  });
  onRemoved.push((id) => push.forgetWorkspace(id), (id) => statistics.unbindWorkspace(id));
  return { db, metrics, accounts, registry, push, statistics };
}

export interface RunningCloud {
  url: string;
  port: number;
  cloud: Cloud;
  db: Db;
  client: MongoClient;
  /** deletes expired sessions and registration tokens (also runs on a timer) */
  cleanup(): Promise<void>;
  close(): Promise<void>;
}

export async function startCloud(config: CloudConfig, logger: Logger, options: CloudOptions = {}): Promise<RunningCloud> {
  const client = await connectMongo(config.mongoUrl);
  const db = client.db();
  try {
    await ensureIndexes(db, [...accountIndexes, ...registryIndexes, ...pushIndexes, ...statisticsIndexes]);
  } catch (err) {
    await client.close();
    throw err;
  }
  const cloud = buildCloud(db, config, logger, options);
  const app = createHttpApp({ cloud, logger, maxBodyBytes: config.maxBodyBytes, trustProxy: config.trustProxy });
  const server: Server = createServer(app);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  const cleanup = async () => {
    const sessions = await cloud.accounts.deleteExpired();
    const tokens = await cloud.registry.deleteExpired();
    if (sessions || tokens) logger.info({ sessions, tokens }, 'expired sessions and registration tokens deleted');
  };
  const timer = setInterval(() => {
    cleanup().catch((err) => logger.warn({ err }, 'cleanup failed'));
  }, config.cleanupIntervalMinutes * 60_000);
  timer.unref();

  logger.info({ port, fcm: config.fcm.mode }, 'obmeet cloud listening');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    cloud,
    db,
    client,
    cleanup,
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await cloud.push.close();
      await client.close();
    },
  };
}
