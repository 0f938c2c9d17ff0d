import type { Request, Router } from 'express';
import {
  AdminRoomsQuery,
  CreateImBody,
  CreateRoomBody,
  HistoryQuery,
  MarkReadBody,
  Paging,
  RenameBody,
  RoomIdBody,
  RoomRefQuery,
  RoomUserBody,
  SetAnnouncementBody,
  SetReadOnlyBody,
  SetTopicBody,
  SubscriptionFlagsBody,
} from '@obmeet/contracts';
import { z } from 'zod';
import { Errors } from '../../errors.js';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { presentMember, presentRoom, presentSubscription } from './rooms.present.js';
import type { RoomDoc } from './rooms.model.js';

const ListQuery = Paging.extend({ query: z.string().max(100).optional() });
const MembersQuery = Paging.extend({ roomId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });
const FavoriteBody = z.object({ roomId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), favorite: z.boolean() }).strict();

/** Resolves ?roomId= or ?roomName= and checks the room is of the kind the endpoint serves. */
async function roomFromQuery(req: Request, kinds: RoomDoc['t'][]): Promise<RoomDoc> {
  const ref = parse(RoomRefQuery, req.query);
  const ws = req.workspace;
  const rid = 'roomId' in ref ? ref.roomId : (await ws.rooms.roomByName(ref.roomName))._id;
  const { room } = await ws.rooms.requireReadable(actor(req), rid);
  if (!kinds.includes(room.t)) throw Errors.notFound('Room');
  return room;
}

/** channels.* (public) and groups.* (private) share one shape, as in Rocket.Chat. */
function roomKindRoutes(r: Router, prefix: 'channels' | 'groups', t: 'c' | 'p', key: 'channel' | 'group'): void {
  r.post(`/${prefix}.create`, requireAuth, route(async (req) => {
    const body = parse(CreateRoomBody, req.body);
    const room = await req.workspace.rooms.createRoom(actor(req), t, body);
    return { [key]: presentRoom(room) };
  }));

  r.get(`/${prefix}.info`, requireAuth, route(async (req) => ({ [key]: presentRoom(await roomFromQuery(req, [t])) })));

  r.get(`/${prefix}.history`, requireAuth, route(async (req) => {
    const q = parse(HistoryQuery, req.query);
    await roomFromQueryById(req, q.roomId, t);
    return await req.workspace.messages.history(actor(req), q.roomId, q);
  }));

  r.get(`/${prefix}.members`, requireAuth, route(async (req) => {
    const q = parse(MembersQuery, req.query);
    await roomFromQueryById(req, q.roomId, t);
    const { members, total } = await req.workspace.rooms.members(actor(req), q.roomId, q.offset, q.count);
    return { members: members.map((m) => presentMember(m.user, m.sub)), count: members.length, offset: q.offset, total };
  }));

  const simple = (name: string, run: (req: Request) => Promise<object | void>) => r.post(`/${prefix}.${name}`, requireAuth, route(run));

  simple('leave', async (req) => {
    const { roomId } = parse(RoomIdBody, req.body);
    await assertKind(req, roomId, t);
    await req.workspace.rooms.leave(actor(req), roomId);
  });
  simple('invite', async (req) => {
    const b = parse(RoomUserBody, req.body);
    await assertKind(req, b.roomId, t);
    return { [key]: presentRoom(await req.workspace.rooms.invite(actor(req), b.roomId, b.userId)) };
  });
  simple('kick', async (req) => {
    const b = parse(RoomUserBody, req.body);
    await assertKind(req, b.roomId, t);
    await req.workspace.rooms.kick(actor(req), b.roomId, b.userId);
  });
  simple('rename', async (req) => {
    const b = parse(RenameBody, req.body);
    await assertKind(req, b.roomId, t);
    return { [key]: presentRoom(await req.workspace.rooms.rename(actor(req), b.roomId, b.name)) };
  });
  simple('setTopic', async (req) => {
    const b = parse(SetTopicBody, req.body);
    await assertKind(req, b.roomId, t);
    const room = await req.workspace.rooms.setTopic(actor(req), b.roomId, b.topic);
    return { topic: room.topic ?? '' };
  });
  simple('setAnnouncement', async (req) => {
    const b = parse(SetAnnouncementBody, req.body);
    await assertKind(req, b.roomId, t);
    const room = await req.workspace.rooms.setAnnouncement(actor(req), b.roomId, b.announcement);
    return { announcement: room.announcement ?? '' };
  });
  simple('setReadOnly', async (req) => {
    const b = parse(SetReadOnlyBody, req.body);
    await assertKind(req, b.roomId, t);
    return { [key]: presentRoom(await req.workspace.rooms.setReadOnly(actor(req), b.roomId, b.readOnly)) };
  });
  simple('archive', async (req) => {
    const { roomId } = parse(RoomIdBody, req.body);
    await assertKind(req, roomId, t);
    await req.workspace.rooms.setArchived(actor(req), roomId, true);
  });
  simple('unarchive', async (req) => {
    const { roomId } = parse(RoomIdBody, req.body);
    await assertKind(req, roomId, t);
    await req.workspace.rooms.setArchived(actor(req), roomId, false);
  });
  for (const [name, role, grant] of [
    ['addOwner', 'owner', true],
    ['removeOwner', 'owner', false],
    ['addModerator', 'moderator', true],
    ['removeModerator', 'moderator', false],
  ] as const) {
    simple(name, async (req) => {
      const b = parse(RoomUserBody, req.body);
      await assertKind(req, b.roomId, t);
      await req.workspace.rooms.setRoomRole(actor(req), b.roomId, b.userId, role, grant);
    });
  }
  simple('delete', async (req) => {
    const { roomId } = parse(RoomIdBody, req.body);
    await assertKind(req, roomId, t);
    await req.workspace.rooms.deleteRoom(actor(req), roomId);
  });
}

async function roomFromQueryById(req: Request, rid: string, t: RoomDoc['t']): Promise<RoomDoc> {
  const { room } = await req.workspace.rooms.requireReadable(actor(req), rid);
  if (room.t !== t) throw Errors.notFound('Room');
  return room;
}

async function assertKind(req: Request, rid: string, t: RoomDoc['t']): Promise<void> {
  const room = await req.workspace.rooms.requireRoom(rid);
  if (room.t !== t) throw Errors.notFound('Room');
}

export function roomsRoutes(r: Router): void {
  roomKindRoutes(r, 'channels', 'c', 'channel');
  roomKindRoutes(r, 'groups', 'p', 'group');

  r.post('/channels.join', requireAuth, route(async (req) => {
    const { roomId } = parse(RoomIdBody, req.body);
    return { channel: presentRoom(await req.workspace.rooms.join(actor(req), roomId)) };
  }));

  /** The public channel directory. */
  r.get('/channels.list', requireAuth, route(async (req) => {
    const q = parse(ListQuery, req.query);
    const { rooms, total } = await req.workspace.rooms.listPublic(actor(req), q.query, q.offset, q.count);
    return { channels: rooms.map(presentRoom), count: rooms.length, offset: q.offset, total };
  }));

  /** Admins: every room, with kind filter and name search (Rocket.Chat's rooms.adminRooms). */
  r.get('/rooms.adminRooms', requireAuth, route(async (req) => {
    const q = parse(AdminRoomsQuery, req.query);
    const { rooms, total } = await req.workspace.rooms.listAllRooms(actor(req), q.types, q.filter, q.offset, q.count);
    return { rooms: rooms.map(presentRoom), count: rooms.length, offset: q.offset, total };
  }));

  r.get('/groups.list', requireAuth, route(async (req) => {
    const rooms = (await req.workspace.rooms.roomsOfUser(actor(req))).filter((x) => x.t === 'p');
    return { groups: rooms.map(presentRoom), count: rooms.length, offset: 0, total: rooms.length };
  }));

  r.post('/im.create', requireAuth, route(async (req) => {
    const body = parse(CreateImBody, req.body);
    const names = 'username' in body ? [body.username] : body.usernames.split(',').map((s) => s.trim()).filter(Boolean);
    return { room: presentRoom(await req.workspace.rooms.createDirect(actor(req), names)) };
  }));

  r.get('/im.list', requireAuth, route(async (req) => {
    const rooms = (await req.workspace.rooms.roomsOfUser(actor(req))).filter((x) => x.t === 'd');
    return { ims: rooms.map(presentRoom), count: rooms.length, offset: 0, total: rooms.length };
  }));

  r.get('/im.history', requireAuth, route(async (req) => {
    const q = parse(HistoryQuery, req.query);
    await roomFromQueryById(req, q.roomId, 'd');
    return await req.workspace.messages.history(actor(req), q.roomId, q);
  }));

  r.get('/rooms.get', requireAuth, route(async (req) => ({
    update: (await req.workspace.rooms.roomsOfUser(actor(req))).map(presentRoom),
    remove: [],
  })));

  r.get('/subscriptions.get', requireAuth, route(async (req) => {
    const update = (await req.workspace.rooms.subscriptionsOf(actor(req))).map((s) => presentSubscription(s.sub, s.room));
    return { update, remove: [], totalUnread: update.reduce((sum, s) => sum + (s.muted ? 0 : s.unread), 0) };
  }));

  r.get('/subscriptions.getOne', requireAuth, route(async (req) => {
    const { roomId } = parse(z.object({ roomId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) }), req.query);
    const { room, sub } = await req.workspace.rooms.requireReadable(actor(req), roomId);
    return { subscription: sub ? presentSubscription(sub, room) : null };
  }));

  r.post('/subscriptions.read', requireAuth, route(async (req) => {
    const { rid } = parse(MarkReadBody, req.body);
    await req.workspace.rooms.markRead(actor(req), rid);
  }));

  r.post('/subscriptions.setFlags', requireAuth, route(async (req) => {
    const b = parse(SubscriptionFlagsBody, req.body);
    await req.workspace.rooms.setFlags(actor(req), b.roomId, b);
  }));

  r.post('/rooms.favorite', requireAuth, route(async (req) => {
    const b = parse(FavoriteBody, req.body);
    await req.workspace.rooms.setFlags(actor(req), b.roomId, { favorite: b.favorite });
  }));
}
