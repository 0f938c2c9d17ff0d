import {
  DEFAULT_PUSH_PREFERENCE,
  PUSH_BATCH_MAX_TOKENS,
  type MessageDto,
  type PushBatchBody,
  type PushPreference,
  type RegisterPushTokenBody,
  type RoomPushPreference,
} from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { isDuplicateKey } from '../../db/connection.js';
import { Errors } from '../../errors.js';
import type { DomainEvents, EventBus } from '../../events/bus.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../logger.js';
import type { Actor } from '../accounts/index.js';
import type { MessagesService } from '../messages/index.js';
import type { RoomDoc, RoomsService, SubscriptionDoc } from '../rooms/index.js';
import type { SettingsService } from '../settings/index.js';
import { fullNotification, pushPayload, type NotificationText } from './push.content.js';
import { nobodyActive, unregisteredGateway, type PresencePort, type PushGateway } from './push.gateway.js';
import { MAX_TOKENS_PER_USER, type PushTokenDoc } from './push.model.js';
import { BoundedQueue } from './push.queue.js';
import type { PushStore } from './push.store.js';

/** What happened to pushes, counted per token (metrics). */
export type PushOutcome = 'delivered' | 'rejected' | 'failed' | 'dropped';

export interface PushOptions {
  logger?: Logger;
  /** messages waiting for push; above this, new ones are dropped (and counted) rather than piling up */
  maxQueue?: number;
  /** how long the list of users with devices is trusted (other processes may register tokens) */
  tokenOwnersTtlMs?: number;
}

type CreatedEvent = DomainEvents['message.created'];

/**
 * Push notifications: device tokens, preferences, and who is pushed for a new message.
 *
 * Cost on FerretDB (every query scans its collection; see docs/architecture-notes.md): posting
 * writes nothing for push, and the send answers before push work starts (a bounded in-process
 * queue). Per message, while registered, the work is: the (cached) list of users who have a
 * device; if one of them is not the sender, the room document, then one query for those users'
 * subscriptions to the room (membership, room preference, mute), one for their default
 * preferences (only users who changed it have a document), and one for their tokens. Members
 * without a device are never looked at, so a workspace without phones pays nothing per message.
 * While unregistered, nothing is read at all.
 */
export class PushService {
  gateway: PushGateway = unregisteredGateway;
  presence: PresencePort = nobodyActive;
  /** counted outcomes (the server process connects its metrics registry) */
  onOutcome: (outcome: PushOutcome, tokens: number) => void = () => {};

  private readonly queue: BoundedQueue<CreatedEvent>;
  private owners: { ids: Set<string>; at: number } | null = null;
  private readonly ownersTtlMs: number;

  constructor(
    private readonly store: PushStore,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly settings: SettingsService,
    events: EventBus,
    private readonly clock: Clock,
    private readonly options: PushOptions = {},
  ) {
    this.queue = new BoundedQueue<CreatedEvent>(options.maxQueue ?? 1000, (e) => this.process(e), (err, e) => {
      this.options.logger?.error({ err, rid: e.message.rid }, 'push processing failed');
    });
    this.ownersTtlMs = options.tokenOwnersTtlMs ?? 5000;
    events.on('message.created', (e) => this.enqueue(e));
    // a deactivated account's phones must stop receiving anything
    events.on('user.deactivated', ({ userId }) => {
      void this.removeAllTokensOf(userId).catch((err: unknown) => this.options.logger?.warn({ err }, 'removing push tokens failed'));
    });
  }

  // ---- device tokens ------------------------------------------------------------------------

  async registerToken(actor: Actor, body: RegisterPushTokenBody): Promise<PushTokenDoc> {
    const type = body.type === 'gcm' ? 'fcm' : body.type;
    const now = this.clock.now();
    let doc: PushTokenDoc | null;
    try {
      doc = await this.store.upsertToken(body.value, { type, appName: body.appName, userId: actor.userId }, newId(), now);
    } catch (err) {
      // two registrations of the same new token at once: the other one inserted it, take it over
      if (!isDuplicateKey(err)) throw err;
      doc = await this.store.upsertToken(body.value, { type, appName: body.appName, userId: actor.userId }, newId(), now);
    }
    if (!doc) throw new Error('push token upsert returned nothing');
    const mine = await this.store.tokensOfUser(actor.userId);
    if (mine.length > MAX_TOKENS_PER_USER) await this.store.deleteTokensByIds(mine.slice(MAX_TOKENS_PER_USER).map((t) => t._id));
    this.owners = null;
    return doc;
  }

  async removeToken(actor: Actor, value: string): Promise<void> {
    if (!(await this.store.deleteTokenOfUser(value, actor.userId))) throw Errors.notFound('Push token');
    this.owners = null;
  }

  listTokens(actor: Actor): Promise<PushTokenDoc[]> {
    return this.store.tokensOfUser(actor.userId);
  }

  private async removeAllTokensOf(userId: string): Promise<void> {
    const tokens = await this.store.tokensOfUser(userId);
    await this.store.deleteTokensByIds(tokens.map((t) => t._id));
    this.owners = null;
  }

  // ---- preferences --------------------------------------------------------------------------

  async preferences(actor: Actor): Promise<PushPreference> {
    return (await this.store.prefsOf(actor.userId))?.pushNotifications ?? DEFAULT_PUSH_PREFERENCE;
  }

  async setPreferences(actor: Actor, pushNotifications: PushPreference): Promise<void> {
    await this.store.setPrefs(actor.userId, pushNotifications, this.clock.now());
  }

  async roomNotification(actor: Actor, rid: string) {
    const { sub } = await this.rooms.requireReadable(actor, rid);
    if (!sub) throw Errors.notFound('Subscription');
    return this.presentRoomNotification(sub, await this.preferences(actor));
  }

  async saveRoomNotification(actor: Actor, rid: string, n: { mobilePushNotifications?: RoomPushPreference; disableNotifications?: boolean }) {
    const sub = await this.rooms.setNotificationPrefs(actor, rid, {
      ...(n.mobilePushNotifications ? { pushNotifications: n.mobilePushNotifications } : {}),
      ...(n.disableNotifications !== undefined ? { muted: n.disableNotifications } : {}),
    });
    return this.presentRoomNotification(sub, await this.preferences(actor));
  }

  private presentRoomNotification(sub: SubscriptionDoc, userDefault: PushPreference) {
    return {
      mobilePushNotifications: (sub.pushNotifications ?? 'default') as RoomPushPreference,
      disableNotifications: sub.muted,
      effective: sub.pushNotifications ?? userDefault,
    };
  }

  // ---- the device fetches a message (id-only pushes) ---------------------------------------------

  /** The message and the notification text, if the caller may read it (404 otherwise, like a missing one). */
  async messageForDevice(actor: Actor, messageId: string): Promise<{ message: MessageDto; notification: NotificationText }> {
    const message = await this.messages.getMessage(actor, messageId);
    const room = await this.rooms.requireRoom(message.rid);
    return { message, notification: fullNotification(message, room) };
  }

  // ---- who is pushed ------------------------------------------------------------------------------

  /** Never blocks the sender: the work is queued; a full queue drops the newest push. */
  private enqueue(e: CreatedEvent): void {
    if (e.message.t) return; // system messages (joined, renamed...) are never pushed
    if (!this.queue.push(e)) {
      this.onOutcome('dropped', 1);
      this.options.logger?.warn({ rid: e.message.rid, queued: this.queue.size }, 'push queue full: push dropped');
    }
  }

  /** Resolves once every queued push has been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async tokenOwners(): Promise<Set<string>> {
    const now = Date.now();
    if (!this.owners || now - this.owners.at > this.ownersTtlMs) {
      this.owners = { ids: new Set(await this.store.userIdsWithTokens()), at: now };
    }
    return this.owners.ids;
  }

  /** The users this message is pushed to, per Rocket.Chat's rules, before presence. */
  async recipients(e: CreatedEvent, room: RoomDoc, candidates: string[]): Promise<string[]> {
    const subs = await this.rooms.subscriptionsOfUsers(room._id, candidates);
    const defaults = new Map((await this.store.prefsOfUsers(subs.map((s) => s.u._id))).map((p) => [p._id, p.pushNotifications]));
    const mentioned = new Set(e.mentionedUserIds);
    // a reply that stays in its thread is pushed for mentions only (Rocket.Chat pushes `all` users only for the main stream)
    const inThreadOnly = Boolean(e.message.tmid && !e.message.tshow);
    const out: string[] = [];
    for (const sub of subs) {
      const uid = sub.u._id;
      if (uid === e.message.u._id || sub.muted) continue;
      const pref = sub.pushNotifications ?? defaults.get(uid) ?? DEFAULT_PUSH_PREFERENCE;
      if (pref === 'nothing') continue;
      // @here reaches only people online right now, who are not pushed: only @all counts here
      const addressed = room.t === 'd' || mentioned.has(uid) || e.groupMention === 'all';
      if (addressed || (pref === 'all' && !inThreadOnly)) out.push(uid);
    }
    return out;
  }

  private async process(e: CreatedEvent): Promise<void> {
    // unregistered: nothing is read, built or attempted
    if (!(await this.gateway.isAvailable())) return;
    const sender = e.message.u._id;
    const owners = await this.tokenOwners();
    let candidates = [...owners].filter((u) => u !== sender);
    if (!candidates.length) return;
    const room = await this.rooms.requireRoom(e.message.rid).catch(() => null);
    if (!room) return;
    if (room.t === 'd') {
      const uids = new Set(room.uids ?? []);
      candidates = candidates.filter((u) => uids.has(u));
    }
    if (!candidates.length) return;
    let users = await this.recipients(e, room, candidates);
    if (!users.length) return;
    const active = await this.presence.activeUserIds(users);
    users = users.filter((u) => !active.has(u));
    if (!users.length) return;

    const tokens = [...new Set((await this.store.tokensOfUsers(users)).map((t) => t.value))];
    if (!tokens.length) return;
    const mode = await this.settings.get('push.contentMode');
    const payload = pushPayload(mode, e.message, room);
    for (let i = 0; i < tokens.length; i += PUSH_BATCH_MAX_TOKENS) {
      await this.sendBatch({ ...payload, tokens: tokens.slice(i, i + PUSH_BATCH_MAX_TOKENS) });
    }
  }

  private async sendBatch(body: PushBatchBody): Promise<void> {
    const sentAt = this.clock.now();
    try {
      const result = await this.gateway.send(body);
      this.onOutcome('delivered', result.successCount);
      if (result.rejectedTokens.length) {
        // a token registered again since this push started is a fresh one: keep it
        await this.store.deleteRejected(result.rejectedTokens.map((t) => t.token), sentAt);
        this.owners = null;
        this.onOutcome('rejected', result.rejectedTokens.length);
      }
      if (result.failedTokens.length) this.onOutcome('failed', result.failedTokens.length);
    } catch (err) {
      // the gateway refused or could not be reached: these tokens were not delivered, and are kept
      this.onOutcome('failed', body.tokens.length);
      this.options.logger?.warn({ err, tokens: body.tokens.length }, 'push gateway call failed');
    }
  }
}
