import type { Router } from 'express';
import { CloudRegisterBody, CloudRegistrationQuery, CloudUnregisterBody, OutboundLogQuery } from '@obmeet/contracts';
import { z } from 'zod';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { requirePermission } from '../accounts/index.js';

const EmptyBody = z.object({}).strict();

/** Admin REST for the cloud link (under /api/v1): registration and the outbound data log. */
export function cloudlinkRoutes(r: Router): void {
  r.get('/cloud.registration', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'manage-cloud');
    const { verify } = parse(CloudRegistrationQuery, req.query);
    return { registration: await req.workspace.cloud.status(verify === 'true' || verify === '1') };
  }));

  r.post('/cloud.register', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'manage-cloud');
    const { token } = parse(CloudRegisterBody, req.body);
    return { registration: await req.workspace.cloud.register(token) };
  }));

  r.post('/cloud.refresh', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'manage-cloud');
    parse(EmptyBody, req.body);
    return { registration: await req.workspace.cloud.refresh() };
  }));

  r.post('/cloud.unregister', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'manage-cloud');
    const { forgetLocally } = parse(CloudUnregisterBody, req.body);
    return { registration: await req.workspace.cloud.unregister(forgetLocally) };
  }));

  r.get('/outbound.log', requireAuth, route(async (req) => {
    requirePermission(actor(req), 'view-outbound-log');
    return await req.workspace.cloud.outboundLog(parse(OutboundLogQuery, req.query));
  }));
}
