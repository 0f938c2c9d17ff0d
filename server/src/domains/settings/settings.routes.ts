import type { Router } from 'express';
import { z } from 'zod';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { can, requirePermission } from '../accounts/index.js';

const SetSettingBody = z.object({ value: z.union([z.string().max(10_000), z.number(), z.boolean()]) }).strict();
const SettingKeyParam = z.object({ key: z.string().min(1).max(100).regex(/^[a-zA-Z0-9._-]+$/) });

export function settingsRoutes(r: Router): void {
  r.get('/settings', requireAuth, route(async (req) => ({
    settings: await req.workspace.settings.list(can(actor(req), 'view-privileged-setting')),
  })));

  r.post('/settings/:key', requireAuth, route(async (req) => {
    const a = actor(req);
    requirePermission(a, 'manage-settings');
    const { key } = parse(SettingKeyParam, req.params);
    const { value } = parse(SetSettingBody, req.body);
    await req.workspace.settings.set(key, value, a.userId);
  }));
}
