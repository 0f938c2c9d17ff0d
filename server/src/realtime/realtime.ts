import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import {
  ErrorCodes,
  PresenceEvent,
  SendMessageBody,
  SyncQuery,
  TypingEvent,
  MeetingAttachEvent,
  MeetingSfuEvent,
  MeetingSignalEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@obmeet/contracts';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { actorOf, type Actor } from '../domains/accounts/index.js';
import { presentMember } from '../domains/rooms/index.js';
import { readCookie, SESSION_COOKIE } from '../http/auth.js';
import type { Metrics } from '../http/metrics.js';
import type { Workspace } from '../workspace/workspace.js';
import type { MeetingIdentity } from '../domains/meetings/index.js';

interface SocketData {
  wsId: string;
  actor: Actor;
  status: 'online' | 'away';
  lastActivity: number;
  /** the user's rooms, read during the handshake so they are joined before the client sees `connect` */
  roomIds: string[];
  /** a meeting guest's socket: it may only attach to and signal in that one meeting */
  guest?: { meetingId: string; participantId: string };
  /** meeting participants this socket carries: participant id → meeting id */
  meetings?: Record<string, string>;
}
type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeOptions {
  logger: Logger;
  metrics: Metrics;
  siteUrl: string;
  redisUrl?: string;
  presenceIdleMs: number;
  maxBufferedBytes: number;
  workspaceForRequest(req: IncomingMessage): Workspace | undefined;
}

/** socket.io room names, prefixed by workspace so hosted tenants never share a room. */
const rooms = {
  room: (ws: string, rid: string) => `${ws}:r:${rid}`,
  user: (ws: string, uid: string) => `${ws}:u:${uid}`,
  session: (ws: string, sid: string) => `${ws}:s:${sid}`,
  everyone: (ws: string) => `${ws}:all`,
  meeting: (ws: string, meetingId: string) => `${ws}:m:${meetingId}`,
  meetingModerators: (ws: string, meetingId: string) => `${ws}:mm:${meetingId}`,
  participant: (ws: string, pid: string) => `${ws}:mp:${pid}`,
};

const MembersQuery = z.object({ roomId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) }).strict();

function errorAck(err: unknown) {
  if (err instanceof AppError) return { success: false as const, error: err.message, errorType: err.errorType };
  if (err instanceof z.ZodError) return { success: false as const, error: 'Invalid input', errorType: ErrorCodes.invalidInput };
  return { success: false as const, error: 'Internal server error', errorType: ErrorCodes.internal };
}

export class Realtime {
  readonly io: IoServer;
  private readonly attached = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private redisClients: { quit(): Promise<unknown> }[] = [];

  private constructor(
    private readonly o: RealtimeOptions,
    httpServer: HttpServer,
  ) {
    this.io = new Server(httpServer, {
      maxHttpBufferSize: 256 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      connectionStateRecovery: undefined,
    });
  }

  static async start(o: RealtimeOptions, httpServer: HttpServer): Promise<Realtime> {
    const rt = new Realtime(o, httpServer);
    if (o.redisUrl) {
      const pub = createClient({ url: o.redisUrl });
      const sub = pub.duplicate();
      pub.on('error', (err) => o.logger.error({ err }, 'redis publisher error'));
      sub.on('error', (err) => o.logger.error({ err }, 'redis subscriber error'));
      await Promise.all([pub.connect(), sub.connect()]);
      rt.redisClients = [pub, sub];
      rt.io.adapter(createAdapter(pub, sub));
    }
    rt.io.use((socket, next) => {
      rt.authenticate(socket).then(
        () => next(),
        (err: Error) => next(err),
      );
    });
    rt.io.on('connection', (socket) => void rt.onConnection(socket));
    rt.io.on('cache.invalidate' as never, ((wsId: string, rid: string) => rt.onRemoteInvalidate(wsId, rid)) as never);
    rt.timers.push(setInterval(() => rt.dropSlowClients(), 1000).unref());
    rt.timers.push(setInterval(() => void rt.markIdle(), Math.min(30_000, o.presenceIdleMs / 2)).unref());
    return rt;
  }

  private readonly workspacesById = new Map<string, Workspace>();
  private onRemoteInvalidate(wsId: string, rid: string): void {
    this.workspacesById.get(wsId)?.messages.cache.invalidate(rid);
  }

  // ---- handshake -----------------------------------------------------------------------------

  private async authenticate(socket: IoSocket): Promise<void> {
    const ws = this.o.workspaceForRequest(socket.request);
    if (!ws) throw new Error('unknown workspace');
    this.attach(ws);
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; userId?: unknown; meetingGuestToken?: unknown };
    if (typeof auth.meetingGuestToken === 'string') {
      // a meeting guest: no account, a token valid for one participant of one meeting only
      const guest = await ws.meetings.guestByToken(auth.meetingGuestToken);
      if (!guest) throw new Error('unauthorized');
      const actor: Actor = { userId: `guest:${guest.participantId}`, username: 'guest', roles: [] };
      socket.data = { wsId: ws.id, actor, status: 'online', lastActivity: Date.now(), roomIds: [], guest };
      return;
    }
    let token = typeof auth.token === 'string' ? auth.token : undefined;
    const claimedUser = typeof auth.userId === 'string' ? auth.userId : undefined;
    if (!token) {
      token = readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
      // cookie sessions only from our own pages (a token in `auth` is not sent by browsers on their own)
      const origin = socket.handshake.headers.origin;
      if (token && origin !== new URL(this.o.siteUrl).origin) throw new Error('origin not allowed');
    }
    if (!token) throw new Error('unauthorized');
    const result = await ws.accounts.authenticateToken(token, claimedUser);
    if (!result) throw new Error('unauthorized');
    const roomIds = await ws.rooms.roomIdsOfUser(result.user._id);
    socket.data = { wsId: ws.id, actor: actorOf(result.user, result.session._id), status: 'online', lastActivity: Date.now(), roomIds };
  }

  private workspaceOf(socket: IoSocket): Workspace {
    return this.workspacesById.get(socket.data.wsId)!;
  }

  // ---- connections -----------------------------------------------------------------------------

  private async onConnection(socket: IoSocket): Promise<void> {
    const ws = this.workspaceOf(socket);
    const { actor } = socket.data;
    this.o.metrics.socketConnections.inc();
    if (socket.data.guest) {
      // guests get the meeting events and nothing else (no rooms, no presence, no messages)
      socket.on('disconnect', () => this.o.metrics.socketConnections.dec());
      this.meetingHandlers(ws, socket);
      return;
    }
    // join synchronously, before any await: once the client sees `connect` it must get its rooms'
    // events, and presence checks from other processes must find this socket
    socket.join([
      rooms.user(ws.id, actor.userId),
      rooms.session(ws.id, actor.sessionId ?? 'none'),
      rooms.everyone(ws.id),
      ...socket.data.roomIds.map((rid) => rooms.room(ws.id, rid)),
    ]);
    socket.data.roomIds = [];
    socket.on('disconnect', () => {
      this.o.metrics.socketConnections.dec();
      void this.updatePresence(ws, actor.userId, actor.username);
    });
    // register handlers before any await so no early event is lost
    socket.on('message.send', (body, ack) => void this.handle(socket, ack, async () => {
      const { message } = SendMessageBody.parse(body);
      return ws.messages.send(actor, message);
    }));
    socket.on('room.sync', (body, ack) => void this.handle(socket, ack, async () => {
      const q = SyncQuery.parse(body);
      return ws.messages.sync(actor, q.roomId, q.since, q.count);
    }));
    socket.on('members.list', (body, ack) => void this.handle(socket, ack, async () => {
      const q = MembersQuery.parse(body);
      const { members } = await ws.rooms.members(actor, q.roomId, 0, 500);
      return members.map((m) => presentMember(m.user, m.sub));
    }));
    socket.on('typing', (body) => {
      const parsed = TypingEvent.safeParse(body);
      if (!parsed.success) return;
      const { rid, typing, tmid } = parsed.data;
      // only members' sockets are in the room: that is the membership check
      if (!socket.rooms.has(rooms.room(ws.id, rid))) return;
      this.touch(socket);
      socket.to(rooms.room(ws.id, rid)).emit('typing', { rid, username: actor.username, typing, ...(tmid ? { tmid } : {}) });
    });
    this.meetingHandlers(ws, socket);
    socket.on('presence.set', (body) => {
      const parsed = PresenceEvent.safeParse(body);
      if (!parsed.success) return;
      socket.data.status = parsed.data.status;
      if (parsed.data.status === 'online') socket.data.lastActivity = Date.now();
      void this.updatePresence(ws, actor.userId, actor.username);
    });

    await this.updatePresence(ws, actor.userId, actor.username);
  }

  /** meeting.attach, the signalling relay, and leaving the meeting when the socket goes away. */
  private meetingHandlers(ws: Workspace, socket: IoSocket): void {
    const identity = (): MeetingIdentity =>
      socket.data.guest ? { kind: 'guest', ...socket.data.guest } : { kind: 'user', actor: socket.data.actor };
    const carried = (socket.data.meetings = {} as Record<string, string>);
    socket.on('meeting.attach', (body, ack) => void this.handle(socket, ack, async () => {
      const { meetingId, participantId } = MeetingAttachEvent.parse(body);
      if (socket.data.guest && socket.data.guest.meetingId !== meetingId) throw new AppError(ErrorCodes.forbidden, 'Not allowed', 403);
      // join the participant's room first, so an admit that comes while we write is not missed
      const own = rooms.participant(ws.id, participantId);
      const hadIt = socket.rooms.has(own);
      socket.join(own);
      try {
        const r = await ws.meetings.attach(identity(), meetingId, participantId, socket.id);
        carried[participantId] = meetingId;
        if (r.inMeeting) socket.join(rooms.meeting(ws.id, meetingId));
        if (r.moderator) socket.join(rooms.meetingModerators(ws.id, meetingId));
        return { attached: true, meeting: r.meeting };
      } catch (err) {
        if (!hadIt) socket.leave(own);
        throw err;
      }
    }));
    // relayed in the order sent (offer before its candidates): one check at a time per socket
    let relay: Promise<void> = Promise.resolve();
    socket.on('meeting.signal', (body, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = MeetingSignalEvent.safeParse(body);
      if (!parsed.success) return reply(errorAck(parsed.error));
      const { meetingId, to, data } = parsed.data;
      const from = Object.keys(carried).find((pid) => carried[pid] === meetingId);
      relay = relay.then(async () => {
        const ok = !!from && (await ws.meetings.canRelay(meetingId, from, socket.id, to).catch(() => false));
        if (ok) this.io.to(rooms.participant(ws.id, to)).emit('meeting.signal', { meetingId, from: from!, data });
        reply({ success: true, result: { relayed: ok } });
      });
    });
    socket.on('meeting.sfu', (body, ack) => void this.handle(socket, ack, async () => {
      const e = MeetingSfuEvent.parse(body);
      const from = Object.keys(carried).find((pid) => carried[pid] === e.meetingId);
      return ws.meetings.sfuRequest(e.meetingId, from, socket.id, e);
    }));
    socket.on('disconnect', () => {
      for (const [pid, meetingId] of Object.entries(carried)) void ws.meetings.socketGone(meetingId, pid, socket.id);
    });
  }

  private async handle<T>(socket: IoSocket, ack: unknown, run: () => Promise<T>): Promise<void> {
    const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => undefined;
    this.touch(socket);
    try {
      reply({ success: true, result: await run() });
    } catch (err) {
      if (!(err instanceof AppError) && !(err instanceof z.ZodError)) this.o.logger.error({ err }, 'socket handler failed');
      reply(errorAck(err));
    }
  }

  private touch(socket: IoSocket): void {
    socket.data.lastActivity = Date.now();
    if (socket.data.status === 'away' && !socket.data.guest) {
      socket.data.status = 'online';
      void this.updatePresence(this.workspaceOf(socket), socket.data.actor.userId, socket.data.actor.username);
    }
  }

  /** A user is online if any socket is active, away if all are idle, offline with none (across processes). */
  private async updatePresence(ws: Workspace, userId: string, username: string): Promise<void> {
    try {
      const sockets = await this.io.in(rooms.user(ws.id, userId)).fetchSockets();
      const status = sockets.length === 0 ? 'offline' : sockets.some((s) => s.data.status === 'online') ? 'online' : 'away';
      const user = await ws.accounts.requireUser(userId);
      if (user.status === status) return;
      await ws.accounts.setStatus(userId, status);
      this.io.to(rooms.everyone(ws.id)).emit('presence', { userId, username, status });
    } catch (err) {
      this.o.logger.warn({ err }, 'presence update failed');
    }
  }

  private async markIdle(): Promise<void> {
    const now = Date.now();
    for (const socket of this.io.of('/').sockets.values()) {
      if (socket.data.guest) continue;
      if (socket.data.status === 'online' && now - socket.data.lastActivity > this.o.presenceIdleMs) {
        socket.data.status = 'away';
        await this.updatePresence(this.workspaceOf(socket), socket.data.actor.userId, socket.data.actor.username);
      }
    }
  }

  /**
   * A client that stops reading is disconnected before its queued bytes grow past the limit.
   * While the kernel's socket buffers are full, engine.io stops handing packets to the websocket
   * and queues them in its own write buffer, so both queues are counted, in bytes.
   */
  private dropSlowClients(): void {
    for (const socket of this.io.of('/').sockets.values()) {
      const conn = socket.conn as unknown as { writeBuffer?: { data?: unknown }[]; transport?: { socket?: { bufferedAmount?: number } } };
      const queue = conn.writeBuffer ?? [];
      let queuedBytes = 0;
      for (const packet of queue) {
        const d = packet.data;
        queuedBytes += typeof d === 'string' ? d.length : d instanceof ArrayBuffer || ArrayBuffer.isView(d) ? d.byteLength : 64;
      }
      const buffered = (conn.transport?.socket?.bufferedAmount ?? 0) + queuedBytes;
      if (buffered > this.o.maxBufferedBytes || queue.length > 10_000) {
        this.o.metrics.slowClientsDropped.inc();
        this.o.logger.warn({ userId: socket.data.actor.userId, buffered, queuedPackets: queue.length }, 'dropping a client that stopped reading');
        socket.disconnect(true);
        // a plain close waits for the queue to drain, which never happens: drop the queue and the TCP connection now
        const ws = conn.transport?.socket as { terminate?: () => void } | undefined;
        if (typeof ws?.terminate === 'function') ws.terminate();
        else (socket.conn as unknown as { close(discard?: boolean): void }).close(true);
      }
    }
  }

  // ---- domain events → clients -------------------------------------------------------------

  attach(ws: Workspace): void {
    if (this.attached.has(ws.id)) return;
    this.attached.add(ws.id);
    this.workspacesById.set(ws.id, ws);
    const io = this.io;
    const id = ws.id;
    if (this.o.redisUrl) ws.messages.onRoomWritten = (rid) => io.serverSideEmit('cache.invalidate' as never, id as never, rid as never);
    // push skips users with an active socket (any process, through the adapter); away or idle ones are pushed
    ws.push.presence = {
      activeUserIds: async (userIds) => {
        const active = new Set<string>();
        for (const uid of userIds) {
          const sockets = await io.in(rooms.user(id, uid)).fetchSockets();
          if (sockets.some((s) => s.data.status === 'online')) active.add(uid);
        }
        return active;
      },
    };
    ws.push.onOutcome = (result, n) => this.o.metrics.pushNotifications.inc({ result }, n);
    // meetings: live state to attached sockets (moderators also see the lobby), per-participant events
    let meetingUpdates: Promise<void> = Promise.resolve();
    ws.meetings.sink = {
      updated: (m) => {
        meetingUpdates = meetingUpdates.then(async () => {
          const all = rooms.meeting(id, m._id);
          const mods = rooms.meetingModerators(id, m._id);
          io.to(all).except(mods).emit('meeting.updated', { meeting: await ws.meetings.liveView(m, false) });
          io.to(mods).emit('meeting.updated', { meeting: await ws.meetings.liveView(m, true) });
        }).catch((err) => this.o.logger.warn({ err }, 'meeting update failed'));
      },
      toParticipant: (_meetingId, pid, event, payload) => io.to(rooms.participant(id, pid)).emit(event, payload as never),
      membership: (meetingId, pid, inMeeting, moderator) => {
        const target = io.in(rooms.participant(id, pid));
        if (inMeeting) target.socketsJoin([rooms.meeting(id, meetingId), ...(moderator ? [rooms.meetingModerators(id, meetingId)] : [])]);
        else target.socketsLeave([rooms.meeting(id, meetingId), rooms.meetingModerators(id, meetingId)]);
      },
      connected: async (socketIds) => {
        const alive = new Set<string>();
        // a socket id is also a socket.io room: found through the adapter on every process
        for (const sid of socketIds) if ((await io.in(sid).fetchSockets()).length) alive.add(sid);
        return alive;
      },
      invited: (userIds, e) => {
        for (const uid of userIds) {
          // the invitee's own notification event (the `notification` event is about messages in rooms they read)
          io.to(rooms.user(id, uid)).emit('meeting.invited', {
            meetingId: e.meetingId, rid: e.rid, title: e.title, status: e.status, from: e.from,
            ...(e.msgId ? { msgId: e.msgId } : {}), ...(e.scheduledStart ? { scheduledStart: e.scheduledStart } : {}),
          });
        }
      },
    };
    ws.events.on('message.created', ({ message, notifyUserIds }) => {
      this.o.metrics.messagesSent.inc();
      io.to(rooms.room(id, message.rid)).emit('message.created', message);
      for (const uid of notifyUserIds) {
        io.to(rooms.user(id, uid)).emit('notification', {
          rid: message.rid,
          messageId: message._id,
          kind: message.mentions?.some((m) => m._id === uid) ? 'mention' : 'dm',
          from: message.u.username,
        });
      }
    });
    ws.events.on('message.updated', ({ message }) => io.to(rooms.room(id, message.rid)).emit('message.updated', message));
    ws.events.on('message.deleted', (e) => io.to(rooms.room(id, e.rid)).emit('message.deleted', e));
    ws.events.on('reaction.changed', ({ message }) => io.to(rooms.room(id, message.rid)).emit('reaction.changed', message));
    ws.events.on('thread.updated', (e) => io.to(rooms.room(id, e.rid)).emit('thread.updated', e));
    ws.events.on('room.changed', ({ room }) => io.to(rooms.room(id, room._id)).emit('room.changed', room));
    ws.events.on('room.removed', ({ rid }) => {
      io.to(rooms.room(id, rid)).emit('room.removed', { rid });
      io.in(rooms.room(id, rid)).socketsLeave(rooms.room(id, rid));
    });
    ws.events.on('membership.changed', (e) => {
      if (e.action === 'added') io.in(rooms.user(id, e.userId)).socketsJoin(rooms.room(id, e.rid));
      else io.in(rooms.user(id, e.userId)).socketsLeave(rooms.room(id, e.rid));
      io.to(rooms.room(id, e.rid)).emit('membership.changed', e);
      if (e.action === 'removed') io.to(rooms.user(id, e.userId)).emit('membership.changed', e);
    });
    ws.events.on('subscription.changed', ({ userId, subscription }) => io.to(rooms.user(id, userId)).emit('subscription.changed', subscription));
    ws.events.on('message.ephemeral', ({ userId, message }) => io.to(rooms.user(id, userId)).emit('message.ephemeral', message));
    ws.events.on('session.revoked', ({ sessionId }) => {
      io.to(rooms.session(id, sessionId)).emit('session.revoked');
      io.in(rooms.session(id, sessionId)).disconnectSockets(true);
    });
    ws.events.on('user.deactivated', ({ userId }) => io.in(rooms.user(id, userId)).disconnectSockets(true));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.io.disconnectSockets(true);
    await new Promise<void>((r) => this.io.close(() => r()));
    for (const c of this.redisClients) await c.quit().catch(() => undefined);
  }
}
