import { createHmac, randomBytes } from 'node:crypto';
import {
  ErrorCodes,
  type CreateMeetingBody,
  type JoinMeetingBody,
  type JoinMeetingResult,
  type MeetingDto,
  type MeetingSfuEvent,
  type ModerateAction,
  type ScheduleMeetingBody,
  type UpdateMeetingBody,
} from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import { newId, sha256 } from '../../ids.js';
import { can, type Actor, type AccountsService } from '../accounts/index.js';
import type { MessagesService } from '../messages/index.js';
import { RoomPolicy, type RoomsService, type SubscriptionDoc } from '../rooms/index.js';
import { RoomLocks } from '../rooms/room-locks.js';
import type { SettingsService } from '../settings/index.js';
import type { LiveParticipantDoc, MeetingDoc, ParticipantRecordDoc } from './meetings.model.js';
import { joinPath, messageAttachment, messageMeeting, presentMeeting } from './meetings.present.js';
import type { SfuGateway } from './meetings.sfu.js';
import type { MeetingsStore } from './meetings.store.js';

export interface MeetingsOptions {
  /** absolute links in the meeting message */
  siteUrl: string;
  stunUrls: string[];
  turnUrls: string[];
  /** coturn `static-auth-secret` (use-auth-secret): TURN credentials are derived from it */
  turnSecret?: string;
  turnTtlSeconds: number;
  /** a meeting with nobody in it ends after this long */
  emptyGraceMs: number;
  /** the peer-to-peer mesh limit */
  maxVideo: number;
  /** the Janus gateway (WebSocket API) for meetings over the mesh limit */
  janusUrl?: string;
  janusApiSecret?: string;
}

export const defaultMeetingsOptions: MeetingsOptions = {
  siteUrl: 'http://localhost:3000',
  stunUrls: [],
  turnUrls: [],
  turnTtlSeconds: 24 * 3600,
  emptyGraceMs: 2 * 60_000,
  maxVideo: 6,
};

/** Who is acting on a meeting: a signed-in user, or a guest holding its meeting-scoped token. */
export type MeetingIdentity = { kind: 'user'; actor: Actor } | { kind: 'guest'; meetingId: string; participantId: string };

/** What the realtime layer does for the service (set in Realtime.attach). */
export interface MeetingsSink {
  /** the meeting changed: tell everyone attached to it */
  updated(meeting: MeetingDoc): void;
  /** an event for one participant's sockets */
  toParticipant(meetingId: string, participantId: string, event: 'meeting.admitted' | 'meeting.denied' | 'meeting.removed' | 'meeting.muted', payload: object): void;
  /** that participant's sockets join (admitted) or leave (removed) the meeting's socket rooms */
  membership(meetingId: string, participantId: string, inMeeting: boolean, moderator: boolean): void;
  /** invitees: a notification */
  /** which of these socket ids are still connected (on any server process) */
  connected(socketIds: string[]): Promise<Set<string>>;
  invited(userIds: string[], payload: { meetingId: string; rid: string; msgId?: string; title: string; status: MeetingDoc['status']; scheduledStart?: string; from: string }): void;
}

const noSink: MeetingsSink = { updated: () => {}, toParticipant: () => {}, membership: () => {}, invited: () => {}, connected: async (ids) => new Set(ids) };

const notFound = () => Errors.of(ErrorCodes.meetingNotFound, 'This meeting does not exist, or the link is wrong', 404);
const ended = () => Errors.of(ErrorCodes.meetingEnded, 'This meeting has ended', 409);

export class MeetingsService {
  sink: MeetingsSink = noSink;
  /** the SFU (Janus) for meetings over the mesh limit; null: such meetings refuse more video */
  sfu: SfuGateway | null = null;
  private readonly locks = new RoomLocks();

  constructor(
    private readonly store: MeetingsStore,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly accounts: AccountsService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    readonly options: MeetingsOptions,
  ) {
    rooms.onRoomDeletion(async (room) => this.store.deleteOfRoom(room._id));
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The meeting, no permission check (calendar, export, recordings). */
  getMeeting(meetingId: string): Promise<MeetingDoc | null> {
    return this.store.byId(meetingId);
  }

  /** By join token, or by id. `viaToken`: the caller holds the link. */
  private async byKey(key: string): Promise<{ m: MeetingDoc; viaToken: boolean } | null> {
    const byToken = key.length >= 32 ? await this.store.byToken(key) : null;
    if (byToken) return { m: byToken, viaToken: true };
    const byId = await this.store.byId(key);
    return byId ? { m: byId, viaToken: false } : null;
  }

  isModerator(actor: Actor, m: MeetingDoc): boolean {
    return m.moderators.includes(actor.userId);
  }

  /** Members of the room (or readers of a public channel), invited users and members of invited rooms. */
  async mayJoin(actor: Actor, m: MeetingDoc): Promise<boolean> {
    if (this.isModerator(actor, m) || m.invitees.includes(actor.userId)) return true;
    const room = await this.rooms.requireRoom(m.rid).catch(() => null);
    if (room) {
      const sub = await this.rooms.subscription(m.rid, actor.userId);
      if (RoomPolicy.canRead(actor, room, sub)) return true;
    }
    for (const rid of m.inviteeRooms) if (await this.rooms.subscription(rid, actor.userId)) return true;
    return false;
  }

  /** The record: the organiser, the room's owners and moderators, admins. */
  async canSeeRecord(actor: Actor, m: MeetingDoc, sub?: SubscriptionDoc | null): Promise<boolean> {
    if (m.organiser._id === actor.userId || can(actor, 'view-room-administration')) return true;
    const s = sub === undefined ? await this.rooms.subscription(m.rid, actor.userId) : sub;
    return RoomPolicy.isRoomModerator(actor, s);
  }

  private async recordingAllowed(): Promise<boolean> {
    return Boolean(await this.settings.get('meetings.recording.allowed'));
  }

  /** The meeting as the given identity may see it. */
  async present(identity: MeetingIdentity | null, m: MeetingDoc): Promise<MeetingDto> {
    const recordingAllowed = await this.recordingAllowed();
    if (!identity || identity.kind === 'guest') return presentMeeting(m, { token: !!identity, record: false, lobby: false, recordingAllowed }, this.clock.now());
    const actor = identity.actor;
    const record = await this.canSeeRecord(actor, m);
    return presentMeeting(m, { token: true, record, lobby: this.isModerator(actor, m), recordingAllowed }, this.clock.now());
  }

  /** What attached sockets get on every change: moderators see the lobby, nobody gets the record. */
  async liveView(m: MeetingDoc, moderator: boolean): Promise<MeetingDto> {
    return presentMeeting(m, { token: true, record: false, lobby: moderator, recordingAllowed: await this.recordingAllowed() }, this.clock.now());
  }

  /** The pre-join screen: anyone with the link; by id only those who may join or see the record. */
  async info(actor: Actor | null, key: string): Promise<MeetingDto> {
    const found = await this.byKey(key);
    if (!found) throw notFound();
    if (!found.viaToken && (!actor || !((await this.mayJoin(actor, found.m)) || (await this.canSeeRecord(actor, found.m))))) throw notFound();
    if (!actor) {
      return presentMeeting(found.m, { token: true, record: false, lobby: false, recordingAllowed: await this.recordingAllowed() }, this.clock.now());
    }
    return this.present({ kind: 'user', actor }, found.m);
  }

  async list(actor: Actor, q: { rid?: string; mine?: boolean; offset: number; count: number }): Promise<MeetingDto[]> {
    let docs: MeetingDoc[];
    if (q.rid) {
      await this.rooms.requireReadable(actor, q.rid);
      docs = await this.store.ofRoom(q.rid, q.offset, q.count);
    } else {
      docs = await this.store.ofUser(actor.userId, await this.rooms.roomIdsOfUser(actor.userId), q.offset, q.count);
    }
    const out: MeetingDto[] = [];
    for (const m of docs) out.push(await this.present({ kind: 'user', actor }, m));
    return out;
  }

  meetingsOfRoom(rid: string): Promise<MeetingDoc[]> {
    return this.store.ofRoom(rid, 0, 1000);
  }

  async meetingsOfUser(userId: string): Promise<MeetingDoc[]> {
    return this.store.ofUser(userId, await this.rooms.roomIdsOfUser(userId), 0, 1000);
  }

  // ---- creating ------------------------------------------------------------------------------

  private newDoc(actor: Actor, name: string | undefined, rid: string, title: string, now: Date): MeetingDoc {
    return {
      _id: newId(),
      rid,
      // 32 random bytes: the link is the only secret a guest needs
      token: randomBytes(32).toString('base64url'),
      title,
      status: 'live',
      sequence: 0,
      organiser: { _id: actor.userId, username: actor.username, ...(name ? { name } : {}) },
      moderators: [actor.userId],
      invitees: [],
      inviteeRooms: [],
      guestsAllowed: false,
      locked: false,
      recording: false,
      recordings: [],
      removed: [],
      live: [],
      lobby: [],
      gone: [],
      participants: [],
      userIds: [actor.userId],
      peakConcurrent: 0,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Stores the meeting and posts its message in the room. The message is sent first (it checks
   * that the caller may post there); if storing the meeting then fails the message is removed, so
   * nothing half-made stays behind.
   */
  private async publish(actor: Actor, m: MeetingDoc, text: string): Promise<MeetingDoc> {
    m.msgId = newId();
    const message = await this.messages.send(actor, {
      _id: m.msgId,
      rid: m.rid,
      msg: text,
      meeting: messageMeeting(m),
      attachments: [messageAttachment(m, this.options.siteUrl)],
    });
    try {
      await this.store.insert(m);
    } catch (err) {
      await this.messages.delete(actor, m.rid, message._id).catch(() => undefined);
      throw err;
    }
    return m;
  }

  /** `/meet` and the "start meeting" button: a live meeting nobody is in yet. */
  async create(actor: Actor, input: CreateMeetingBody): Promise<MeetingDto> {
    await this.rooms.requirePostable(actor, input.rid);
    const user = await this.accounts.requireUser(actor.userId);
    const now = this.clock.now();
    const m = this.newDoc(actor, user.name, input.rid, input.title ?? 'Meeting', now);
    m.startedAt = now;
    m.guestsAllowed = input.guestsAllowed ?? false;
    // nobody has joined yet: the grace period runs from now
    m.emptySince = now;
    await this.publish(actor, m, `@${actor.username} started a meeting: ${m.title}`);
    return this.present({ kind: 'user', actor }, m);
  }

  private async checkInvitees(actor: Actor, invitees: { users: string[]; rooms: string[] }): Promise<void> {
    const users = [...new Set(invitees.users)];
    const found = await this.accounts.usersByIds(users);
    if (found.length !== users.length) throw Errors.invalid('An invited user does not exist');
    for (const rid of new Set(invitees.rooms)) await this.rooms.requireReadable(actor, rid);
  }

  async schedule(actor: Actor, input: ScheduleMeetingBody): Promise<MeetingDto> {
    await this.rooms.requirePostable(actor, input.rid);
    await this.checkInvitees(actor, input.invitees);
    const user = await this.accounts.requireUser(actor.userId);
    const now = this.clock.now();
    const m = this.newDoc(actor, user.name, input.rid, input.title, now);
    m.status = 'scheduled';
    m.scheduledStart = new Date(input.start);
    m.durationMinutes = input.durationMinutes;
    m.invitees = [...new Set(input.invitees.users)];
    m.inviteeRooms = [...new Set(input.invitees.rooms)];
    m.userIds = [...new Set([actor.userId, ...m.invitees])];
    m.guestsAllowed = input.guestsAllowed ?? false;
    await this.publish(actor, m, `@${actor.username} scheduled a meeting: ${m.title}`);
    await this.notifyInvitees(m, actor, m.invitees, m.inviteeRooms);
    return this.present({ kind: 'user', actor }, m);
  }

  private async notifyInvitees(m: MeetingDoc, actor: Actor, users: string[], rooms: string[]): Promise<void> {
    const ids = new Set(users);
    for (const rid of rooms) for (const uid of await this.rooms.memberIds(rid)) ids.add(uid);
    ids.delete(actor.userId);
    if (!ids.size) return;
    this.sink.invited([...ids], {
      meetingId: m._id,
      rid: m.rid,
      ...(m.msgId ? { msgId: m.msgId } : {}),
      title: m.title,
      status: m.status,
      ...(m.scheduledStart ? { scheduledStart: m.scheduledStart.toISOString() } : {}),
      from: actor.username,
    });
  }

  async update(actor: Actor, input: UpdateMeetingBody): Promise<MeetingDto> {
    if (input.invitees) await this.checkInvitees(actor, input.invitees);
    const m = await this.mutate(input.meetingId, async (m) => {
      this.requireModerator(actor, m);
      if (m.status === 'ended' || m.status === 'cancelled') throw ended();
      if ((input.start || input.durationMinutes) && m.status !== 'scheduled') throw Errors.invalid('Only a scheduled meeting can be moved');
      if (input.title !== undefined) m.title = input.title;
      if (input.start) m.scheduledStart = new Date(input.start);
      if (input.durationMinutes) m.durationMinutes = input.durationMinutes;
      if (input.guestsAllowed !== undefined) m.guestsAllowed = input.guestsAllowed;
      if (input.invitees) {
        m.invitees = [...new Set(input.invitees.users)];
        m.inviteeRooms = [...new Set(input.invitees.rooms)];
        m.userIds = [...new Set([...m.userIds, ...m.invitees])];
      }
      // iCalendar SEQUENCE: every change a calendar shows
      m.sequence += 1;
      return true;
    });
    await this.notifyInvitees(m, actor, m.invitees, m.inviteeRooms);
    return this.present({ kind: 'user', actor }, m);
  }

  async cancel(actor: Actor, meetingId: string): Promise<MeetingDto> {
    const m = await this.mutate(meetingId, async (m) => {
      this.requireModerator(actor, m);
      if (m.status !== 'scheduled') throw Errors.invalid('Only a scheduled meeting can be cancelled; end a live one');
      m.status = 'cancelled';
      m.sequence += 1;
      return true;
    });
    await this.notifyInvitees(m, actor, m.invitees, m.inviteeRooms);
    return this.present({ kind: 'user', actor }, m);
  }

  // ---- joining and leaving -------------------------------------------------------------------

  /**
   * Runs `change` on the stored meeting under its lock and stores the result when it returns
   * true; then tells attached sockets and refreshes the meeting message if `message` says so.
   */
  private async mutate(meetingId: string, change: (m: MeetingDoc) => Promise<boolean | 'message'>): Promise<MeetingDoc> {
    const { m, result } = await this.locks.run(meetingId, async () => {
      const m = await this.store.byId(meetingId);
      if (!m) throw notFound();
      const result = await change(m);
      if (result) {
        m.updatedAt = this.clock.now();
        await this.store.replace(m);
      }
      return { m, result };
    });
    if (result) {
      this.sink.updated(m);
      // the SFU lets go of participants that left, and of the room once the meeting ended
      if (this.sfu && m.media === 'sfu') void this.sfu.sync(m._id, m.live.map((p) => p._id), m.status === 'ended' || m.status === 'cancelled').catch(() => undefined);
      await this.refreshMessage(m);
    }
    return m;
  }

  private async refreshMessage(m: MeetingDoc): Promise<void> {
    if (!m.msgId) return;
    await this.messages.setMeetingContent(m.rid, m.msgId, messageMeeting(m), [messageAttachment(m, this.options.siteUrl)]);
  }

  private requireModerator(actor: Actor, m: MeetingDoc): void {
    if (!this.isModerator(actor, m)) throw Errors.forbidden('Only a moderator of the meeting can do that');
  }

  private videoCount(m: MeetingDoc, except?: string): number {
    return m.live.filter((p) => p.video && p._id !== except).length;
  }

  /**
   * Is there room for one more participant with video? Over the mesh limit, a meeting moves to
   * the SFU when one is configured (and stays there); without one, no.
   */
  private videoAllowed(m: MeetingDoc, except?: string): boolean {
    if (this.videoCount(m, except) < this.options.maxVideo) return true;
    if (!this.sfu) return false;
    m.media = 'sfu';
    return true;
  }

  private full(): Error {
    return Errors.of(
      ErrorCodes.meetingFull,
      `This meeting already has ${this.options.maxVideo} participants with video, the most a peer-to-peer meeting can carry. Join with audio only.`,
      409,
    );
  }

  /** Adds someone to the meeting now: a live entry and a new session in the record. */
  private enter(m: MeetingDoc, p: LiveParticipantDoc, now: Date): void {
    m.live.push(p);
    let rec = m.participants.find((r) => r.key === p.key);
    if (!rec) {
      rec = { key: p.key, ...(p.userId ? { userId: p.userId, username: p.username } : {}), name: p.name, ...(p.email ? { email: p.email } : {}), ...(p.guest ? { guest: true } : {}), sessions: [], attendanceMs: 0 };
      m.participants.push(rec);
    }
    rec.sessions.push({ pid: p._id, joinedAt: now, leftAt: null });
    if (p.userId && !m.userIds.includes(p.userId)) m.userIds.push(p.userId);
    m.peakConcurrent = Math.max(m.peakConcurrent, m.live.length);
    m.emptySince = null;
    if (m.status === 'scheduled') {
      m.status = 'live';
      m.startedAt = now;
    }
  }

  /** Takes a participant out of the meeting: closes its session, keeps it in `gone` for a reconnect. */
  private exit(m: MeetingDoc, pid: string, now: Date, keepForReconnect: boolean): LiveParticipantDoc | null {
    const i = m.live.findIndex((p) => p._id === pid);
    if (i < 0) return null;
    const [p] = m.live.splice(i, 1);
    closeSession(m.participants.find((r) => r.key === p!.key), pid, now);
    if (keepForReconnect) m.gone = [...m.gone.filter((g) => g._id !== pid), { ...p!, socketId: null }].slice(-100);
    if (m.live.length === 0) m.emptySince = now;
    return p!;
  }

  iceServers(identity: string): JoinMeetingResult['iceServers'] {
    const o = this.options;
    const out: JoinMeetingResult['iceServers'] = [];
    if (o.stunUrls.length) out.push({ urls: o.stunUrls });
    if (o.turnUrls.length && o.turnSecret) {
      // coturn use-auth-secret (TURN REST API): username `<expiry>:<id>`, password base64(HMAC-SHA1(secret, username))
      const expiry = Math.floor(this.clock.now().getTime() / 1000) + o.turnTtlSeconds;
      const username = `${expiry}:${identity}`;
      out.push({ urls: o.turnUrls, username, credential: createHmac('sha1', o.turnSecret).update(username).digest('base64') });
    }
    return out;
  }

  async join(actor: Actor | null, input: JoinMeetingBody): Promise<JoinMeetingResult> {
    const found = await this.byKey(input.key);
    if (!found) throw notFound();
    const { viaToken } = found;
    let permitted = false;
    let userName: string | undefined;
    if (actor) {
      permitted = await this.mayJoin(actor, found.m);
      // by id only those who may join; by the link, others knock like guests when guests are allowed
      if (!permitted && (!viaToken || !found.m.guestsAllowed)) {
        throw viaToken ? Errors.forbidden('You are not allowed to join this meeting') : notFound();
      }
      userName = (await this.accounts.requireUser(actor.userId)).name;
    } else if (!viaToken) {
      throw notFound();
    }
    let guestToken: string | undefined;
    let outcome: 'joined' | 'lobby' = 'joined';
    const pid = newId();
    const replaced: string[] = [];
    const m = await this.mutate(found.m._id, async (m) => {
      if (m.status === 'ended' || m.status === 'cancelled') throw ended();
      const now = this.clock.now();
      if (actor && m.removed.includes(actor.userId)) throw Errors.of(ErrorCodes.meetingRemoved, 'A moderator removed you from this meeting', 403);
      if (!actor || !permitted) {
        if (!m.guestsAllowed) throw Errors.of(ErrorCodes.meetingGuestsNotAllowed, 'This meeting does not accept guests. Sign in to join.', 403);
        if (!actor && !input.guest) throw Errors.invalid('A guest gives a name and an email address');
      }
      const moderator = !!actor && this.isModerator(actor, m);
      if (m.locked && !moderator) throw Errors.of(ErrorCodes.meetingLocked, 'A moderator has locked this meeting: nobody else can join right now', 403);
      if (input.video && !this.videoAllowed(m)) throw this.full();
      const p: LiveParticipantDoc = actor
        ? { _id: pid, key: actor.userId, userId: actor.userId, username: actor.username, name: userName ?? actor.username, audio: input.audio, video: input.video, socketId: null, joinedAt: now }
        : { _id: pid, key: `guest:${pid}`, name: input.guest!.name, email: input.guest!.email, guest: true, audio: input.audio, video: input.video, socketId: null, joinedAt: now };
      if (!actor) {
        guestToken = `${m._id}.${randomBytes(32).toString('base64url')}`;
        p.guestTokenHash = sha256(guestToken);
      }
      if (!actor || !permitted) {
        // guests wait until a moderator admits them
        m.lobby.push(p);
        outcome = 'lobby';
        return true;
      }
      // the same person joining again (a reloaded page, a second tab) replaces the earlier join, so
      // their sessions never overlap and attendance is not counted twice
      for (const old of m.live.filter((x) => x.key === p.key)) {
        this.exit(m, old._id, now, false);
        replaced.push(old._id);
      }
      m.gone = m.gone.filter((x) => x.key !== p.key);
      this.enter(m, p, now);
      return 'message';
    });
    for (const old of replaced) this.sink.membership(m._id, old, false, false);
    const identity: MeetingIdentity = actor ? { kind: 'user', actor } : { kind: 'guest', meetingId: m._id, participantId: pid };
    return {
      status: outcome,
      participantId: pid,
      ...(guestToken ? { guestToken } : {}),
      iceServers: outcome === 'joined' ? this.iceServers(actor ? actor.userId : `guest-${pid}`) : [],
      video: input.video,
      meeting: await this.present(identity, m),
    };
  }

  /** The participant `pid` must belong to the identity. */
  private owns(identity: MeetingIdentity, m: MeetingDoc, p: LiveParticipantDoc): boolean {
    if (identity.kind === 'guest') return identity.meetingId === m._id && identity.participantId === p._id;
    return p.userId === identity.actor.userId;
  }

  /** A guest's token → the meeting and participant it is for (its socket's identity); null when not valid. */
  async guestByToken(token: string): Promise<{ meetingId: string; participantId: string } | null> {
    const meetingId = token.split('.')[0];
    if (!meetingId || token.length > 200) return null;
    const m = await this.store.byId(meetingId);
    if (!m || m.status === 'ended' || m.status === 'cancelled') return null;
    const hash = sha256(token);
    const p = [...m.live, ...m.lobby, ...m.gone].find((x) => x.guestTokenHash === hash);
    return p ? { meetingId, participantId: p._id } : null;
  }

  async leave(identity: MeetingIdentity, meetingId: string, pid: string): Promise<void> {
    await this.mutate(meetingId, async (m) => {
      const p = m.live.find((x) => x._id === pid) ?? m.lobby.find((x) => x._id === pid);
      if (!p || !this.owns(identity, m, p)) throw Errors.notFound('Participant');
      m.lobby = m.lobby.filter((x) => x._id !== pid);
      this.exit(m, pid, this.clock.now(), false);
      return 'message';
    });
  }

  async setMedia(identity: MeetingIdentity, meetingId: string, pid: string, media: { audio: boolean; video: boolean }): Promise<void> {
    await this.mutate(meetingId, async (m) => {
      const p = m.live.find((x) => x._id === pid);
      if (!p || !this.owns(identity, m, p)) throw Errors.notFound('Participant');
      if (media.video && !p.video && !this.videoAllowed(m, pid)) throw this.full();
      p.audio = media.audio;
      p.video = media.video;
      return true;
    });
  }

  /**
   * A socket carries this participant (after joining, and again after a reconnect). A participant
   * whose socket went away is back in the meeting with a new session.
   */
  async attach(identity: MeetingIdentity, meetingId: string, pid: string, socketId: string): Promise<{ inMeeting: boolean; moderator: boolean; meeting: MeetingDto }> {
    let inMeeting = false;
    const moderatorOf = (m: MeetingDoc) => identity.kind === 'user' && this.isModerator(identity.actor, m);
    const m = await this.mutate(meetingId, async (m) => {
      const live = m.live.find((x) => x._id === pid);
      if (live) {
        if (!this.owns(identity, m, live)) throw Errors.notFound('Participant');
        live.socketId = socketId;
        inMeeting = true;
        return true;
      }
      const waiting = m.lobby.find((x) => x._id === pid);
      if (waiting) {
        if (!this.owns(identity, m, waiting)) throw Errors.notFound('Participant');
        waiting.socketId = socketId;
        return true;
      }
      const gone = m.gone.find((x) => x._id === pid);
      if (!gone || !this.owns(identity, m, gone)) throw Errors.notFound('Participant');
      if (m.status !== 'live') throw ended();
      if (m.removed.includes(gone.key)) throw Errors.of(ErrorCodes.meetingRemoved, 'A moderator removed you from this meeting', 403);
      m.gone = m.gone.filter((x) => x._id !== pid);
      // back after a reconnect: a new session; video only while there is room for it
      const back = { ...gone, socketId, video: gone.video && this.videoAllowed(m) };
      this.enter(m, back, this.clock.now());
      inMeeting = true;
      return 'message';
    });
    // the meeting as it is now: the update this attach broadcast went out before the socket joined
    // the meeting's socket room, and updates sent while the socket was away are lost
    return { inMeeting, moderator: moderatorOf(m), meeting: await this.liveView(m, moderatorOf(m)) };
  }

  /** A socket went away: the participant it carried leaves (a new attach brings it back). */
  async socketGone(meetingId: string, pid: string, socketId: string): Promise<void> {
    await this.mutate(meetingId, async (m) => {
      const waiting = m.lobby.find((x) => x._id === pid);
      if (waiting && waiting.socketId === socketId) {
        m.lobby = m.lobby.filter((x) => x._id !== pid);
        return true;
      }
      const live = m.live.find((x) => x._id === pid);
      // another socket took it over in the meantime: nothing to do
      if (!live || live.socketId !== socketId) return false;
      this.exit(m, pid, this.clock.now(), true);
      return 'message';
    }).catch(() => undefined);
  }

  /** For the signalling relay: the sender must be in the meeting on this socket, the addressee in the same meeting. */
  async canRelay(meetingId: string, from: string, socketId: string, to: string): Promise<boolean> {
    const m = await this.store.byId(meetingId);
    if (!m || m.status !== 'live') return false;
    const sender = m.live.find((p) => p._id === from);
    return !!sender && sender.socketId === socketId && m.live.some((p) => p._id === to && p._id !== from);
  }

  /**
   * Media through the SFU (meeting.sfu): the sender must be live in the meeting on this socket,
   * the meeting routed through the SFU, and a feed asked for must be another live participant.
   */
  async sfuRequest(meetingId: string, from: string | undefined, socketId: string, e: MeetingSfuEvent): Promise<{ jsep?: { type: 'offer' | 'answer'; sdp: string } }> {
    const m = await this.store.byId(meetingId);
    if (!m || m.status !== 'live') throw ended();
    const sender = from ? m.live.find((p) => p._id === from) : undefined;
    if (!sender || sender.socketId !== socketId) throw Errors.forbidden('Join the meeting first');
    if (!this.sfu || m.media !== 'sfu') throw Errors.of(ErrorCodes.meetingMediaUnavailable, 'This meeting is peer-to-peer: its media does not go through the media server', 409);
    if (e.op === 'publish') return { jsep: await this.sfu.publish(m._id, sender._id, e.jsep!) };
    if (!m.live.some((p) => p._id === e.feed && p._id !== sender._id)) throw Errors.notFound('Participant');
    if (e.op === 'subscribe') return { jsep: await this.sfu.subscribe(m._id, sender._id, e.feed!) };
    await this.sfu.start(m._id, sender._id, e.feed!, e.jsep!);
    return {};
  }

  // ---- moderating ----------------------------------------------------------------------------

  async moderate(actor: Actor, meetingId: string, action: ModerateAction, pid?: string): Promise<MeetingDto> {
    const after: Array<() => void> = [];
    const m = await this.mutate(meetingId, async (m) => {
      this.requireModerator(actor, m);
      if (m.status === 'ended' || m.status === 'cancelled') throw ended();
      const now = this.clock.now();
      switch (action) {
        case 'lock':
        case 'unlock':
          m.locked = action === 'lock';
          return true;
        case 'end':
          this.endNow(m, now, after);
          return 'message';
        case 'mute': {
          const p = m.live.find((x) => x._id === pid);
          if (!p) throw Errors.notFound('Participant');
          p.audio = false;
          after.push(() => this.sink.toParticipant(m._id, p._id, 'meeting.muted', { meetingId: m._id }));
          return true;
        }
        case 'remove': {
          const p = m.live.find((x) => x._id === pid) ?? m.lobby.find((x) => x._id === pid);
          if (!p) throw Errors.notFound('Participant');
          if (p.userId === m.organiser._id) throw Errors.forbidden('The organiser cannot be removed');
          m.lobby = m.lobby.filter((x) => x._id !== p._id);
          this.exit(m, p._id, now, false);
          // removed people cannot come back (guests are keyed by their join)
          if (!m.removed.includes(p.key)) m.removed.push(p.key);
          after.push(() => {
            this.sink.toParticipant(m._id, p._id, 'meeting.removed', { meetingId: m._id });
            this.sink.membership(m._id, p._id, false, false);
          });
          return 'message';
        }
        case 'admit': {
          const p = m.lobby.find((x) => x._id === pid);
          if (!p) throw Errors.notFound('Waiting guest');
          if (p.video && !this.videoAllowed(m)) p.video = false;
          m.lobby = m.lobby.filter((x) => x._id !== p._id);
          this.enter(m, p, now);
          after.push(() => {
            this.sink.membership(m._id, p._id, true, false);
            void this.admitted(m, p);
          });
          return 'message';
        }
        case 'deny': {
          const p = m.lobby.find((x) => x._id === pid);
          if (!p) throw Errors.notFound('Waiting guest');
          m.lobby = m.lobby.filter((x) => x._id !== p._id);
          after.push(() => this.sink.toParticipant(m._id, p._id, 'meeting.denied', { meetingId: m._id }));
          return true;
        }
      }
    });
    for (const f of after) f();
    return this.present({ kind: 'user', actor }, m);
  }

  private async admitted(m: MeetingDoc, p: LiveParticipantDoc): Promise<void> {
    const identity: MeetingIdentity = p.userId
      ? { kind: 'user', actor: { userId: p.userId, username: p.username ?? '', roles: [] } }
      : { kind: 'guest', meetingId: m._id, participantId: p._id };
    const result: JoinMeetingResult = {
      status: 'joined',
      participantId: p._id,
      iceServers: this.iceServers(p.userId ?? `guest-${p._id}`),
      video: p.video,
      meeting: await this.liveView(m, identity.kind === 'user' && this.isModerator(identity.actor, m)),
    };
    this.sink.toParticipant(m._id, p._id, 'meeting.admitted', result);
  }

  /** Ends the meeting for everyone: closes every session, empties the lobby. */
  private endNow(m: MeetingDoc, now: Date, after: Array<() => void>): void {
    for (const p of [...m.live]) this.exit(m, p._id, now, false);
    for (const g of m.lobby) after.push(() => this.sink.toParticipant(m._id, g._id, 'meeting.denied', { meetingId: m._id }));
    m.lobby = [];
    m.gone = [];
    m.status = 'ended';
    m.endedAt = now;
    m.emptySince = null;
    m.recording = false;
  }

  /**
   * The scheduler's job: a live meeting that has had nobody in it for the grace period ends. A
   * participant that joined but never attached a socket within it, or whose socket is gone without
   * a disconnect being seen (a server process that died), counts as gone.
   */
  async endAbandoned(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.options.emptyGraceMs);
    for (const m of await this.store.liveMeetings()) {
      const old = [...m.live, ...m.lobby].filter((p) => p.joinedAt <= cutoff);
      if (!old.length) continue;
      const alive = await this.sink.connected(old.flatMap((p) => (p.socketId ? [p.socketId] : [])));
      const stale = (p: LiveParticipantDoc) => p.joinedAt <= cutoff && (!p.socketId || !alive.has(p.socketId));
      if (!old.some(stale)) continue;
      await this.mutate(m._id, async (m) => {
        m.lobby = m.lobby.filter((p) => !stale(p));
        for (const p of m.live.filter(stale)) this.exit(m, p._id, now, true);
        return 'message';
      }).catch(() => undefined);
    }
    let n = 0;
    for (const m of await this.store.emptySince(cutoff)) {
      const after: Array<() => void> = [];
      await this.mutate(m._id, async (m) => {
        if (m.status !== 'live' || m.live.length || !m.emptySince || m.emptySince > cutoff) return false;
        this.endNow(m, now, after);
        n++;
        return 'message';
      }).catch(() => undefined);
      for (const f of after) f();
    }
    return n;
  }

  // ---- recordings (meetings.recordings.ts) ---------------------------------------------------

  async setRecording(meetingId: string, on: boolean): Promise<void> {
    await this.mutate(meetingId, async (m) => {
      if (m.recording === on) return false;
      m.recording = on;
      return true;
    });
  }

  async attachRecording(meetingId: string, rec: { _id: string; url: string; size: number }): Promise<void> {
    await this.mutate(meetingId, async (m) => {
      m.recordings = [...m.recordings.filter((r) => r._id !== rec._id), { _id: rec._id, url: rec.url, size: rec.size }];
      return true;
    });
  }

  joinPath(m: MeetingDoc): string {
    return joinPath(m.token);
  }
}

function closeSession(rec: ParticipantRecordDoc | undefined, pid: string, now: Date): void {
  if (!rec) return;
  for (const s of rec.sessions) {
    if (s.pid === pid && !s.leftAt) {
      s.leftAt = now;
      rec.attendanceMs += Math.max(0, now.getTime() - s.joinedAt.getTime());
    }
  }
}
