import express, { type Router } from 'express';
import {
  CreateIntegrationBody,
  IncomingWebhookPayload,
  IntegrationIdBody,
  IntegrationIdQuery,
  Paging,
  UpdateIntegrationBody,
} from '@obmeet/contracts';
import { z } from 'zod';
import { Errors } from '../../errors.js';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import type { IntegrationDoc } from './integrations.model.js';
import { incomingHookPath, presentIntegration } from './integrations.present.js';
import type { IssuedSecrets } from './integrations.service.js';

/** Bodies posted to an incoming webhook: far smaller than the API limit. */
export const INCOMING_HOOK_MAX_BYTES = 256 * 1024;

const ListQuery = Paging.extend({ type: z.enum(['webhook-incoming', 'webhook-outgoing']).optional() });
const HookParams = z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), token: z.string().min(1).max(200) });

function withSecrets(siteUrl: string, doc: IntegrationDoc, secrets: IssuedSecrets) {
  return {
    integration: presentIntegration(doc),
    ...(secrets.token
      ? { token: secrets.token, path: incomingHookPath(doc._id, secrets.token), url: siteUrl + incomingHookPath(doc._id, secrets.token) }
      : {}),
    ...(secrets.secret ? { secret: secrets.secret } : {}),
  };
}

/** Administration of webhooks (Rocket.Chat's integrations.* names). */
export function integrationsRoutes(r: Router, o: { siteUrl: string }): void {
  r.post('/integrations.create', requireAuth, route(async (req) => {
    const body = parse(CreateIntegrationBody, req.body);
    const { doc, secrets } = await req.workspace.integrations.create(actor(req), body);
    return withSecrets(o.siteUrl, doc, secrets);
  }));

  r.get('/integrations.list', requireAuth, route(async (req) => {
    const q = parse(ListQuery, req.query);
    const all = (await req.workspace.integrations.list(actor(req))).filter((d) => !q.type || d.type === q.type);
    const page = all.slice(q.offset, q.offset + q.count);
    return { integrations: page.map(presentIntegration), count: page.length, offset: q.offset, total: all.length };
  }));

  r.get('/integrations.get', requireAuth, route(async (req) => {
    const { integrationId } = parse(IntegrationIdQuery, req.query);
    return { integration: presentIntegration(await req.workspace.integrations.get(actor(req), integrationId)) };
  }));

  r.post('/integrations.update', requireAuth, route(async (req) => {
    const body = parse(UpdateIntegrationBody, req.body);
    const { doc, secrets } = await req.workspace.integrations.update(actor(req), body);
    return withSecrets(o.siteUrl, doc, secrets);
  }));

  r.post('/integrations.remove', requireAuth, route(async (req) => {
    const { integrationId } = parse(IntegrationIdBody, req.body);
    await req.workspace.integrations.remove(actor(req), integrationId);
  }));
}

/** `POST /hooks/<id>/<token>`: the incoming webhook's secret URL (no other authentication). */
export function incomingHookRoutes(): Router {
  const r = express.Router();
  r.use(express.json({ limit: INCOMING_HOOK_MAX_BYTES, strict: true }));
  // Slack also accepts a form body with the JSON in `payload`
  r.use(express.urlencoded({ extended: false, limit: INCOMING_HOOK_MAX_BYTES }));
  r.post('/:id/:token', route(async (req) => {
    const { id, token } = parse(HookParams, req.params);
    let raw: unknown = req.body;
    if (raw && typeof raw === 'object' && typeof (raw as { payload?: unknown }).payload === 'string') {
      try {
        raw = JSON.parse((raw as { payload: string }).payload);
      } catch {
        throw Errors.invalid('payload is not valid JSON');
      }
    }
    const payload = parse(IncomingWebhookPayload, raw);
    const message = await req.workspace.integrations.receiveIncoming(id, token, payload);
    return { messageId: message._id };
  }));
  return r;
}
