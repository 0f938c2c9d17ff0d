import type { Router } from 'express';
import { StatisticsSharingBody } from '@obmeet/contracts';
import { z } from 'zod';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { requirePermission } from '../accounts/index.js';

const NoQuery = z.object({}).strict();

/** Admin REST (under /api/v1): the workspace info page and statistics sharing. */
export function statisticsRoutes(r: Router): void {
  r.get('/statistics.info', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'view-statistics');
    parse(NoQuery, req.query);
    return { info: await req.workspace.statistics.info() };
  }));

  r.get('/statistics.preview', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'view-statistics');
    parse(NoQuery, req.query);
    return { preview: await req.workspace.statistics.preview() };
  }));

  r.get('/statistics.sharing', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'view-statistics');
    parse(NoQuery, req.query);
    return { sharing: await req.workspace.statistics.sharing(req.workspace.scheduler.nextRunAt('statistics.send')) };
  }));

  r.post('/statistics.sharing', requireAuth, route(async (req) => {
    const a = actor(req);
    requirePermission(a, 'manage-cloud');
    const { enabled } = parse(StatisticsSharingBody, req.body);
    await req.workspace.statistics.setSharing(enabled, a.userId);
    return { sharing: await req.workspace.statistics.sharing(req.workspace.scheduler.nextRunAt('statistics.send')) };
  }));
}
