import type { Router } from 'express';
import { PushBatchBody, UsageQuery, WorkspaceId } from '@obmeet/contracts';
import { z } from 'zod';
import { requireAccount, requireWorkspace } from '../../http/auth.js';
import { parse, route } from '../../http/handler.js';

const WorkspaceParams = z.object({ workspaceId: WorkspaceId }).strict();

export function pushRoutes(r: Router): void {
  r.post('/push/send', requireWorkspace, route(async (req) => {
    const body = parse(PushBatchBody, req.body);
    return req.cloud.push.send(req.ws!._id, body);
  }));

  r.get('/push/usage', requireWorkspace, route(async (req) => {
    const { days } = parse(UsageQuery, req.query);
    return { usage: await req.cloud.push.usage(req.ws!._id, days) };
  }));

  r.get('/console/workspaces/:workspaceId/usage', requireAccount, route(async (req) => {
    const { workspaceId } = parse(WorkspaceParams, req.params);
    const { days } = parse(UsageQuery, req.query);
    await req.cloud.registry.requireOwned(req.account!._id, workspaceId);
    return { usage: await req.cloud.push.usage(workspaceId, days) };
  }));
}
