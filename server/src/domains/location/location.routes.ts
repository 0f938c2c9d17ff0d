import type { Router } from 'express';
import { ShareLocationBody } from '@obmeet/contracts';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';

export function locationRoutes(r: Router): void {
  r.post('/chat.shareLocation', requireAuth, route(async (req) => {
    const body = parse(ShareLocationBody, req.body);
    return { message: await req.workspace.location.share(actor(req), body) };
  }));
}
