import type { Router } from 'express';
import { StatisticsDocument } from '@obmeet/contracts';
import { optionalWorkspace } from '../../http/auth.js';
import { parse, route } from '../../http/handler.js';

export function statisticsRoutes(r: Router): void {
  /** With HTTP Basic workspace credentials (registered) or without (anonymous, by install id). */
  r.post('/statistics', optionalWorkspace, route(async (req, res) => {
    const doc = parse(StatisticsDocument, req.body);
    const receipt = await req.cloud.statistics.receive(doc, { workspaceId: req.ws?._id, ip: req.ip ?? 'unknown' });
    res.status(201);
    return { receipt };
  }));
}
