import type { NextFunction, Request, Response } from 'express';
import { ClientSecret, ConsoleToken, WorkspaceId } from '@obmeet/contracts';
import { Errors } from '../errors.js';

/** `Authorization: Bearer ocv_…` → the vendor account. Rejects when missing or invalid. */
export function requireAccount(req: Request, _res: Response, next: NextFunction): void {
  const m = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '');
  const token = m?.[1];
  if (!token || !ConsoleToken.safeParse(token).success) return next(Errors.unauthorized());
  req.cloud.accounts.authenticate(token).then(
    (r) => {
      if (!r) return next(Errors.unauthorized());
      req.account = r.account;
      req.consoleSessionId = r.sessionId;
      next();
    },
    (err) => next(err),
  );
}

/** Reads `Authorization: Basic base64(workspaceId:clientSecret)`; undefined when absent. Malformed → 401. */
export function basicCredentials(req: Request): { workspaceId: string; clientSecret: string } | undefined {
  const header = req.header('authorization');
  if (!header) return undefined;
  const m = /^Basic ([A-Za-z0-9+/=]{1,400})$/.exec(header);
  if (!m) throw Errors.invalidWorkspaceCredentials();
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  const workspaceId = i > 0 ? decoded.slice(0, i) : '';
  const clientSecret = i > 0 ? decoded.slice(i + 1) : '';
  if (!WorkspaceId.safeParse(workspaceId).success || !ClientSecret.safeParse(clientSecret).success) {
    throw Errors.invalidWorkspaceCredentials();
  }
  return { workspaceId, clientSecret };
}

async function authenticateWorkspace(req: Request, optional: boolean): Promise<void> {
  const creds = basicCredentials(req);
  if (!creds) {
    if (optional) return;
    throw Errors.invalidWorkspaceCredentials();
  }
  const ws = await req.cloud.registry.authenticate(creds.workspaceId, creds.clientSecret);
  if (!ws) throw Errors.invalidWorkspaceCredentials();
  req.ws = ws;
}

/** The workspace credentials are required: the same 401 for unknown id, wrong secret, revoked. */
export function requireWorkspace(req: Request, _res: Response, next: NextFunction): void {
  authenticateWorkspace(req, false).then(() => next(), next);
}

/** Workspace credentials if sent (and then they must be valid); anonymous otherwise. */
export function optionalWorkspace(req: Request, _res: Response, next: NextFunction): void {
  authenticateWorkspace(req, true).then(() => next(), next);
}
