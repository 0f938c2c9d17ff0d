import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { pingDb } from '../db/connection.js';
import { accountsRoutes } from '../domains/accounts/index.js';
import { pushRoutes } from '../domains/push/index.js';
import { registryRoutes } from '../domains/registry/index.js';
import { statisticsRoutes } from '../domains/statistics/index.js';
import type { Cloud } from '../cloud.js';
import type { Logger } from '../logger.js';
import { errorMiddleware, notFoundMiddleware } from './errors.js';

export interface CloudAppOptions {
  cloud: Cloud;
  logger: Logger;
  maxBodyBytes: number;
  trustProxy?: string;
}

export function createHttpApp(o: CloudAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  if (o.trustProxy) app.set('trust proxy', o.trustProxy);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: o.logger,
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/ready' || req.url === '/metrics' },
      // the request line and status only: no headers (credentials), never bodies
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    const end = o.cloud.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      end();
      o.cloud.metrics.httpRequests.inc({ method: req.method, status: String(res.statusCode) });
    });
    req.cloud = o.cloud;
    next();
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const ok = await pingDb(o.cloud.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unreachable' });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', o.cloud.metrics.registry.contentType);
    res.send(await o.cloud.metrics.registry.metrics());
  });

  const api = express.Router();
  api.use(express.json({ limit: o.maxBodyBytes, strict: true }));
  accountsRoutes(api);
  registryRoutes(api);
  pushRoutes(api);
  statisticsRoutes(api);
  api.use(notFoundMiddleware);
  app.use('/api/v1', api);
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(o.logger));
  return app;
}
