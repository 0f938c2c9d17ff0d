import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ZodTypeAny, z } from 'zod';
import { Errors } from '../errors.js';
import type { Actor } from '../domains/accounts/index.js';
import type { UserDoc, SessionDoc } from '../domains/accounts/index.js';
import type { Workspace } from '../workspace/workspace.js';

export interface AuthContext {
  user: UserDoc;
  session: SessionDoc;
  actor: Actor;
  via: 'cookie' | 'header';
}

declare module 'express-serve-static-core' {
  interface Request {
    workspace: Workspace;
    auth?: AuthContext;
  }
}

/** Parses input with its contract schema; a failure is a 400 with the issues, and nothing runs. */
export function parse<S extends ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
    throw Errors.invalid(`Invalid input: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, issues);
  }
  return r.data;
}

export function actor(req: Request): Actor {
  if (!req.auth) throw Errors.unauthorized();
  return req.auth.actor;
}

/** A route: run the handler, reply `{ success: true, ...result }`. Errors go to the error middleware. */
export function route(fn: (req: Request, res: Response) => Promise<object | void>): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const out = await fn(req, res);
      if (!res.headersSent) res.json({ success: true, ...(out ?? {}) });
    } catch (err) {
      next(err);
    }
  };
}
