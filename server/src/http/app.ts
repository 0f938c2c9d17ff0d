import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';
import { pingDb } from '../db/connection.js';
import { accountsRoutes } from '../domains/accounts/accounts.routes.js';
import { messagesRoutes } from '../domains/messages/messages.routes.js';
import { roomsRoutes } from '../domains/rooms/rooms.routes.js';
import { settingsRoutes } from '../domains/settings/settings.routes.js';
import { commandsRoutes } from '../domains/commands/commands.routes.js';
import { incomingHookRoutes, integrationsRoutes } from '../domains/integrations/integrations.routes.js';
import { fileDownloadRoutes, filesRoutes } from '../domains/files/files.routes.js';
import { searchRoutes } from '../domains/search/search.routes.js';
import { locationRoutes } from '../domains/location/location.routes.js';
import { pushRoutes } from '../domains/push/push.routes.js';
import { cloudlinkRoutes } from '../domains/cloudlink/cloudlink.routes.js';
import { statisticsRoutes } from '../domains/statistics/statistics.routes.js';
import { meetingsRoutes } from '../domains/meetings/meetings.routes.js';
import { calendarFeedRoutes, meetingsCalendarRoutes } from '../domains/meetings/meetings.calendar.routes.js';
import type { Workspace } from '../workspace/workspace.js';
import { authenticate, configurePassport } from './auth.js';
import { errorMiddleware, notFoundMiddleware } from './errors.js';
import type { Metrics } from './metrics.js';

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  siteUrl: string;
  maxBodyBytes: number;
  sessionTtlDays: number;
  version: string;
  trustProxy?: string;
  clientDir?: string;
  /** Which workspace serves a request: one in self-managed mode, by host name when hosted. */
  resolveWorkspace(req: Request): Workspace | undefined;
}

export function createHttpApp(o: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  if (o.trustProxy) app.set('trust proxy', o.trustProxy);
  app.use(helmet({ contentSecurityPolicy: { directives: { 'connect-src': ["'self'", 'ws:', 'wss:'], 'img-src': ["'self'", 'data:', 'https:'] } } }));
  app.use(
    pinoHttp({
      logger: o.logger,
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      // an incoming webhook's URL and a calendar feed's URL are their secrets: never log the token part
      serializers: {
        req: (req: { url?: string }) =>
          Object.assign(req, req.url ? { url: req.url.replace(/^\/hooks\/([^/]+)\/[^/?#]+/, '/hooks/$1/[redacted]').replace(/^\/calendar\/[^/?#]+/, '/calendar/[redacted]') } : {}),
      },
    }),
  );
  app.use((req, res, next) => {
    const end = o.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      end();
      o.metrics.httpRequests.inc({ method: req.method, status: String(res.statusCode) });
    });
    next();
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', o.metrics.registry.contentType);
    res.send(await o.metrics.registry.metrics());
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const ws = o.resolveWorkspace(req);
    if (!ws) {
      res.status(404).json({ success: false, error: 'Unknown workspace', errorType: 'error-not-found' });
      return;
    }
    req.workspace = ws;
    next();
  });

  app.get('/ready', async (req, res) => {
    const ok = await pingDb(req.workspace.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unreachable' });
  });

  const passport = configurePassport();
  const auth = authenticate(passport, new URL(o.siteUrl).origin);
  const api = express.Router();
  api.use(express.json({ limit: o.maxBodyBytes, strict: true }));
  api.use(auth);
  accountsRoutes(api, { passport, secureCookies: o.siteUrl.startsWith('https:'), sessionTtlDays: o.sessionTtlDays, version: o.version });
  settingsRoutes(api);
  roomsRoutes(api);
  messagesRoutes(api);
  commandsRoutes(api);
  integrationsRoutes(api, { siteUrl: o.siteUrl });
  filesRoutes(api);
  searchRoutes(api);
  locationRoutes(api);
  pushRoutes(api);
  cloudlinkRoutes(api);
  statisticsRoutes(api);
  meetingsRoutes(api);
  meetingsCalendarRoutes(api, { siteUrl: o.siteUrl });
  api.use(notFoundMiddleware);
  app.use('/api/v1', api);
  app.use('/hooks', incomingHookRoutes());
  // calendar apps subscribe without a session: the token in the path is the credential
  app.use('/calendar', calendarFeedRoutes({ siteUrl: o.siteUrl }));
  app.use('/file-upload', fileDownloadRoutes(auth));

  // The web client's production build, with a fallback to index.html for client-side routes.
  const clientDir = o.clientDir;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(clientDir, 'index.html'));
    });
  }
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(o.logger));
  return app;
}
