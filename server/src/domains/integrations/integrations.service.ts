import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  OutgoingWebhookResponse,
  type CreateIntegrationBody,
  type IncomingWebhookPayload,
  type MessageDto,
  type OutgoingWebhookPayload,
  type UpdateIntegrationBody,
} from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { outboundRequest, OutboundRefused, parseAllowedHosts, type OutboundOptions, type OutboundRequest, type OutboundResponse } from '../../http-client/outbound.js';
import { newId, newSecret, sha256 } from '../../ids.js';
import type { Logger } from '../../logger.js';
import { actorOf, type AccountsService, type Actor, type UserDoc } from '../accounts/index.js';
import { safeHttpUrl, sanitizeAttachments, type MessagesService } from '../messages/index.js';
import type { RoomsService } from '../rooms/index.js';
import type { SettingsService } from '../settings/index.js';
import type { IntegrationDoc, LastDelivery } from './integrations.model.js';
import { IntegrationsPolicy } from './integrations.policy.js';
import type { IntegrationsStore } from './integrations.store.js';

const OUTGOING_CACHE_MS = 2000;
const TOKEN_RE = /^[A-Za-z0-9_-]{20,100}$/;

export interface IntegrationsOptions {
  logger?: Logger;
  /** sends one outgoing request (replaced only to test the retry logic in isolation) */
  send?: (req: OutboundRequest, options: OutboundOptions) => Promise<OutboundResponse>;
}

/** The secrets shown once: at creation, or when regenerated. */
export interface IssuedSecrets {
  /** incoming: the URL token */
  token?: string;
  /** outgoing: the signing secret */
  secret?: string;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Trigger words match at the start of the message (Slack, Rocket.Chat); no words means every message. */
export function matchTrigger(words: readonly string[], text: string): string | null {
  if (!words.length) return '';
  const t = text.trimStart();
  return words.find((w) => t.startsWith(w)) ?? null;
}

/**
 * Incoming webhooks (a secret URL that posts into a room) and outgoing webhooks (messages in chosen
 * rooms POSTed to a URL, signed, retried, the reply posted back). Outgoing delivery listens to
 * `message.created` on the event bus, never to the database.
 */
export class IntegrationsService {
  /** attempts per delivery and the first backoff delay (doubling); tests shorten the delay */
  attempts = 3;
  retryBaseMs = 1000;
  private outgoingCache: { at: number; hooks: IntegrationDoc[] } | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private readonly send: NonNullable<IntegrationsOptions['send']>;
  private readonly logger?: Logger;

  constructor(
    private readonly store: IntegrationsStore,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly accounts: AccountsService,
    private readonly settings: SettingsService,
    events: EventBus,
    private readonly clock: Clock,
    options: IntegrationsOptions = {},
  ) {
    this.send = options.send ?? outboundRequest;
    this.logger = options.logger;
    events.on('message.created', ({ message }) => {
      const p = this.onMessage(message).catch((err: unknown) => this.logger?.error({ err }, 'outgoing webhooks failed'));
      this.track(p);
    });
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Resolves when every outgoing delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  // ---- administration --------------------------------------------------------------------------

  private async hookUser(username: string): Promise<UserDoc> {
    const user = await this.accounts.findByUsername(username);
    if (!user) throw Errors.invalid(`Unknown user @${username}`);
    if (!user.active) throw Errors.invalid(`The user @${username} is deactivated`);
    return user;
  }

  /** The hook's room(s): the admin must be able to read them, and an incoming hook's user must be a member. */
  private async checkRooms(actor: Actor, type: IntegrationDoc['type'], rids: string[], user: UserDoc): Promise<void> {
    for (const rid of rids) {
      await this.rooms.requireReadable(actor, rid);
      if (type === 'webhook-incoming' && !(await this.rooms.subscription(rid, user._id))) {
        throw Errors.invalid(`@${user.username} is not a member of this room`);
      }
    }
  }

  async create(actor: Actor, body: CreateIntegrationBody): Promise<{ doc: IntegrationDoc; secrets: IssuedSecrets }> {
    IntegrationsPolicy.assertCanManage(actor, body.type);
    const user = await this.hookUser(body.username);
    const now = this.clock.now();
    const base = {
      _id: newId(),
      name: body.name,
      enabled: body.enabled,
      userId: user._id,
      username: user.username,
      ...(body.alias ? { alias: body.alias } : {}),
      ...(body.avatar ? { avatar: safeHttpUrl(body.avatar) } : {}),
      createdAt: now,
      updatedAt: now,
      createdBy: { _id: actor.userId, username: actor.username },
    };
    if (body.type === 'webhook-incoming') {
      await this.checkRooms(actor, body.type, [body.roomId], user);
      const token = newSecret();
      const doc: IntegrationDoc = { ...base, type: body.type, rid: body.roomId, tokenHash: sha256(token) };
      await this.store.insert(doc);
      return { doc, secrets: { token } };
    }
    const rids = [...new Set(body.roomIds)];
    await this.checkRooms(actor, body.type, rids, user);
    const secret = newSecret();
    const doc: IntegrationDoc = {
      ...base,
      type: body.type,
      rids,
      triggerWords: body.triggerWords,
      url: body.url,
      token: newSecret().slice(0, 24),
      secret,
    };
    await this.store.insert(doc);
    this.outgoingCache = null;
    return { doc, secrets: { secret } };
  }

  async list(actor: Actor): Promise<IntegrationDoc[]> {
    const types = IntegrationsPolicy.manageableTypes(actor);
    if (!types.length) throw Errors.forbidden('Permission "manage-incoming-integrations" or "manage-outgoing-integrations" is required');
    return this.store.list(types);
  }

  async get(actor: Actor, id: string): Promise<IntegrationDoc> {
    const doc = await this.store.byId(id);
    if (!doc || !IntegrationsPolicy.canManage(actor, doc.type)) {
      if (!IntegrationsPolicy.manageableTypes(actor).length) IntegrationsPolicy.assertCanManage(actor, 'webhook-incoming');
      throw Errors.notFound('Integration');
    }
    return doc;
  }

  async update(actor: Actor, body: UpdateIntegrationBody): Promise<{ doc: IntegrationDoc; secrets: IssuedSecrets }> {
    const doc = await this.get(actor, body.integrationId);
    const incoming = doc.type === 'webhook-incoming';
    if (incoming && (body.roomIds || body.triggerWords || body.url)) throw Errors.invalid('roomIds, triggerWords and url belong to outgoing webhooks');
    if (!incoming && body.roomId) throw Errors.invalid('roomId belongs to incoming webhooks; use roomIds');
    const set: Partial<IntegrationDoc> = { updatedAt: this.clock.now() };
    const unset: (keyof IntegrationDoc)[] = [];
    const user = body.username ? await this.hookUser(body.username) : await this.accounts.requireUser(doc.userId);
    if (body.username) Object.assign(set, { userId: user._id, username: user.username });
    if (body.roomId || body.roomIds || body.username) {
      const rids = incoming ? [body.roomId ?? doc.rid!] : [...new Set(body.roomIds ?? doc.rids ?? [])];
      await this.checkRooms(actor, doc.type, rids, user);
      if (incoming) set.rid = rids[0];
      else set.rids = rids;
    }
    if (body.name !== undefined) set.name = body.name;
    if (body.triggerWords) set.triggerWords = body.triggerWords;
    if (body.url) set.url = body.url;
    if (body.enabled !== undefined) set.enabled = body.enabled;
    if (body.alias === null) unset.push('alias');
    else if (body.alias !== undefined) set.alias = body.alias;
    if (body.avatar === null) unset.push('avatar');
    else if (body.avatar !== undefined) set.avatar = safeHttpUrl(body.avatar);
    const secrets: IssuedSecrets = {};
    if (body.regenerateToken) {
      if (incoming) {
        secrets.token = newSecret();
        set.tokenHash = sha256(secrets.token);
      } else {
        secrets.secret = newSecret();
        set.secret = secrets.secret;
        set.token = newSecret().slice(0, 24);
      }
    }
    const after = await this.store.update(doc._id, set, unset);
    if (!after) throw Errors.notFound('Integration');
    this.outgoingCache = null;
    return { doc: after, secrets };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const doc = await this.get(actor, id);
    await this.store.delete(doc._id);
    this.outgoingCache = null;
  }

  // ---- incoming --------------------------------------------------------------------------------

  /**
   * Posts a Slack-style payload through an incoming hook. A wrong token, a disabled or deleted
   * hook all answer the same 404, and nothing is posted.
   */
  async receiveIncoming(id: string, token: string, payload: IncomingWebhookPayload): Promise<MessageDto> {
    const hook = TOKEN_RE.test(token) ? await this.store.byId(id) : null;
    if (!hook || hook.type !== 'webhook-incoming' || !hook.enabled || !hook.tokenHash || !hashMatches(token, hook.tokenHash)) {
      throw Errors.notFound('Webhook');
    }
    const user = await this.accounts.requireUser(hook.userId);
    if (!user.active) throw Errors.forbidden('The webhook user is deactivated');
    const attachments = sanitizeAttachments(payload.attachments);
    if (!payload.text?.trim() && !attachments.length) throw Errors.invalid('Give text or attachments');
    const alias = payload.username?.trim() || hook.alias;
    const avatar = safeHttpUrl(payload.icon_url) ?? hook.avatar;
    return this.messages.send(actorOf(user), {
      rid: hook.rid!,
      msg: payload.text ?? '',
      ...(alias ? { alias } : {}),
      ...(avatar ? { avatar } : {}),
      ...(attachments.length ? { attachments } : {}),
      bot: { i: hook._id },
    });
  }

  // ---- outgoing --------------------------------------------------------------------------------

  private async outgoingHooks(): Promise<IntegrationDoc[]> {
    const now = Date.now();
    if (!this.outgoingCache || now - this.outgoingCache.at > OUTGOING_CACHE_MS) {
      this.outgoingCache = { at: now, hooks: await this.store.enabledOutgoing() };
    }
    return this.outgoingCache.hooks;
  }

  private async onMessage(message: MessageDto): Promise<void> {
    // system notices, deleted messages and anything an integration posted (no loops) are skipped
    if (message.t || message.deleted || message.bot) return;
    const hooks = (await this.outgoingHooks()).filter((h) => h.rids?.includes(message.rid));
    for (const hook of hooks) {
      const trigger = matchTrigger(hook.triggerWords ?? [], message.msg);
      if (trigger === null) continue;
      this.track(this.deliver(hook, message, trigger).catch((err: unknown) => this.logger?.error({ err, hookId: hook._id }, 'outgoing webhook failed')));
    }
  }

  private async deliver(hook: IntegrationDoc, message: MessageDto, trigger: string): Promise<void> {
    const room = await this.rooms.requireRoom(message.rid);
    const allowedHosts = parseAllowedHosts(await this.settings.get('integrations.allowedHosts'));
    let attempts = 0;
    let last: LastDelivery = { at: this.clock.now(), ok: false, attempts: 0 };
    let response: OutboundResponse | null = null;
    while (attempts < this.attempts) {
      if (attempts > 0) await sleep(this.retryBaseMs * 2 ** (attempts - 1));
      attempts++;
      const sentAt = Math.floor(this.clock.now().getTime() / 1000);
      const payload: OutgoingWebhookPayload & { sent_at: number } = {
        token: hook.token ?? '',
        channel_id: room._id,
        channel_name: room.name ?? '',
        timestamp: Math.floor(Date.parse(message.ts) / 1000),
        user_id: message.u._id,
        user_name: message.u.username,
        text: message.msg,
        trigger_word: trigger,
        message_id: message._id,
        ...(message.tmid ? { tmid: message.tmid } : {}),
        sent_at: sentAt,
      };
      const body = JSON.stringify(payload);
      try {
        const res = await this.send(
          {
            url: hook.url!,
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              'x-obmeet-signature': signBody(hook.secret ?? '', body),
              'x-obmeet-timestamp': String(sentAt),
              'x-obmeet-webhook-id': hook._id,
            },
          },
          { allowedHosts },
        );
        last = { at: this.clock.now(), ok: res.status >= 200 && res.status < 300, attempts, status: res.status };
        if (last.ok) {
          response = res;
          break;
        }
        // the receiver refused the payload itself: sending it again will not help
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) break;
      } catch (err) {
        last = { at: this.clock.now(), ok: false, attempts, error: err instanceof Error ? err.message.slice(0, 300) : 'failed' };
        if (err instanceof OutboundRefused) break; // policy, not a transient failure
      }
    }
    await this.store.setLastDelivery(hook._id, last);
    if (!last.ok) {
      this.logger?.warn({ hookId: hook._id, attempts, status: last.status, error: last.error }, 'outgoing webhook delivery failed');
      return;
    }
    if (response) await this.postReply(hook, message, response);
  }

  /** A receiver that answers `{ text }` (or attachments) gets it posted in the room as the hook's user. */
  private async postReply(hook: IntegrationDoc, message: MessageDto, res: OutboundResponse): Promise<void> {
    if (!res.body.length) return;
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      return;
    }
    const parsed = OutgoingWebhookResponse.safeParse(json);
    if (!parsed.success) return;
    const attachments = sanitizeAttachments(parsed.data.attachments);
    if (!parsed.data.text?.trim() && !attachments.length) return;
    // the hook's current state: it may have been disabled or changed meanwhile
    const current = await this.store.byId(hook._id);
    if (!current?.enabled) return;
    const user = await this.accounts.requireUser(current.userId);
    if (!user.active) return;
    const alias = parsed.data.username?.trim() || current.alias;
    const avatar = safeHttpUrl(parsed.data.icon_url) ?? current.avatar;
    await this.messages.send(actorOf(user), {
      rid: message.rid,
      msg: parsed.data.text ?? '',
      ...(message.tmid ? { tmid: message.tmid } : {}),
      ...(alias ? { alias } : {}),
      ...(avatar ? { avatar } : {}),
      ...(attachments.length ? { attachments } : {}),
      bot: { i: current._id },
    });
  }
}

function hashMatches(token: string, hash: string): boolean {
  const a = Buffer.from(sha256(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
