import type { Router } from 'express';
import { CommandsListQuery, RunCommandBody } from '@obmeet/contracts';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';

export function commandsRoutes(r: Router): void {
  /** The commands the caller may use (the client lists them after `/`). */
  r.get('/commands.list', requireAuth, route(async (req) => {
    const q = parse(CommandsListQuery, req.query);
    const { commands, total } = req.workspace.commands.list(actor(req), q);
    return { commands, count: commands.length, offset: q.offset, total };
  }));

  r.post('/commands.run', requireAuth, route(async (req) => {
    const body = parse(RunCommandBody, req.body);
    return await req.workspace.commands.run(actor(req), body);
  }));
}
