import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config/config.js';
import { connectMongo, databaseNameFromUrl } from './db/connection.js';
import { repoRoot, startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.js';
import { createHttpApp } from './http/app.js';
import { Metrics } from './http/metrics.js';
import type { Logger } from './logger.js';
import { Realtime } from './realtime/realtime.js';
import { Workspace } from './workspace/workspace.js';
import { loadSecretsKey } from './domains/cloudlink/index.js';

export const VERSION: string = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

export interface RunningServer {
  url: string;
  port: number;
  workspace: Workspace;
  mongo: MongoClient;
  http: HttpServer;
  realtime: Realtime;
  close(): Promise<void>;
}

/** Opens the database (embedded FerretDB unless MONGO_URL is set), builds the workspace, serves HTTP and realtime. */
export async function startServer(config: Config, logger: Logger, clock: Clock = systemClock): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.mongoUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(config.dataDir, logger);
    url = embedded.url;
  }
  const mongo = await connectMongo(url);
  const dbName = databaseNameFromUrl(url) ?? 'obmeet';
  const workspace = await Workspace.open(mongo.db(dbName), {
    id: 'default',
    clock,
    logger,
    version: VERSION,
    meetings: { ...config.meetings, siteUrl: config.siteUrl },
    cloud: { url: config.cloudUrl, timeoutMs: config.cloudTimeoutMs, secretsKey: loadSecretsKey(config.secretsKey, config.dataDir) },
    login: {
      perIpPerMinute: config.loginMaxPerIpPerMinute,
      failuresPerUser: config.loginMaxFailuresPerUser,
      sessionTtlDays: config.sessionTtlDays,
    },
  });

  const metrics = new Metrics();
  const app = createHttpApp({
    logger,
    metrics,
    siteUrl: config.siteUrl,
    maxBodyBytes: config.maxBodyBytes,
    sessionTtlDays: config.sessionTtlDays,
    version: VERSION,
    trustProxy: config.trustProxy,
    clientDir: config.clientDir ?? join(repoRoot, 'client', 'dist'),
    resolveWorkspace: () => workspace,
  });
  const http = createServer(app);
  const realtime = await Realtime.start(
    {
      logger,
      metrics,
      siteUrl: config.siteUrl,
      redisUrl: config.redisUrl,
      presenceIdleMs: config.presenceIdleMs,
      maxBufferedBytes: config.socketMaxBufferedBytes,
      workspaceForRequest: () => workspace,
    },
    http,
  );
  realtime.attach(workspace);
  workspace.scheduler.start();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logger.info({ port, siteUrl: config.siteUrl }, 'OBMeet server listening');

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    workspace,
    mongo,
    http,
    realtime,
    close: () =>
      (closing ??= (async () => {
        await workspace.scheduler.stop();
        await workspace.meetings.sfu?.close();
        await realtime.close();
        await new Promise<void>((r) => http.close(() => r()));
        await mongo.close();
        if (embedded) await embedded.stop();
      })()),
  };
}
