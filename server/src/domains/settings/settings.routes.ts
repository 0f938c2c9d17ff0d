import type { Router } from 'express';
import { SetSettingBody, SettingKeyParam } from '@obmeet/contracts';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { can, requirePermission } from '../accounts/index.js';

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

  /** Back to the default value. */
  r.post('/settings/:key/reset', requireAuth, route(async (req) => {
    const a = actor(req);
    requirePermission(a, 'manage-settings');
    const { key } = parse(SettingKeyParam, req.params);
    await req.workspace.settings.reset(key);
  }));
}
