import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ZodTypeAny, z } from 'zod';
import { Errors } from '../errors.js';
import type { AccountDoc } from '../domains/accounts/index.js';
import type { WorkspaceDoc } from '../domains/registry/index.js';
import type { Cloud } from '../cloud.js';

declare module 'express-serve-static-core' {
  interface Request {
    cloud: Cloud;
    /** the signed-in vendor account (console bearer token) */
    account?: AccountDoc;
    consoleSessionId?: string;
    /** the authenticated workspace (HTTP Basic workspaceId:clientSecret) */
    ws?: WorkspaceDoc;
  }
}

/** The path of every unknown key in a zod error, e.g. `users.extra` (so a 400 names the field). */
function unknownFields(issues: z.ZodIssue[]): string[] {
  const out: string[] = [];
  for (const i of issues) {
    if (i.code === 'unrecognized_keys') for (const k of i.keys) out.push([...i.path, k].join('.'));
  }
  return out;
}

/** Parses input with its contract schema; a failure is a 400 naming the fields, and nothing runs. */
export function parse<S extends ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
    const unknown = unknownFields(r.error.issues);
    const text = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
    throw Errors.invalid(
      unknown.length ? `Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` : `Invalid input: ${text}`,
      unknown.length ? { unknownFields: unknown, issues } : issues,
    );
  }
  return r.data;
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
