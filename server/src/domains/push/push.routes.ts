import type { Router } from 'express';
import {
  DeletePushTokenBody,
  PushGetQuery,
  RegisterPushTokenBody,
  RoomNotificationQuery,
  SaveRoomNotificationBody,
  SetPushPreferencesBody,
} from '@obmeet/contracts';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { presentPushToken } from './push.present.js';

/** Device tokens and notification preferences (Rocket.Chat's push.* and rooms.*Notification names). */
export function pushRoutes(r: Router): void {
  r.post('/push.token', requireAuth, route(async (req) => {
    const body = parse(RegisterPushTokenBody, req.body);
    return { result: presentPushToken(await req.workspace.push.registerToken(actor(req), body)) };
  }));

  r.delete('/push.token', requireAuth, route(async (req) => {
    const { token } = parse(DeletePushTokenBody, req.body);
    await req.workspace.push.removeToken(actor(req), token);
  }));

  r.get('/push.tokens', requireAuth, route(async (req) => {
    const tokens = await req.workspace.push.listTokens(actor(req));
    return { tokens: tokens.map(presentPushToken) };
  }));

  /** The device exchanges the id of an id-only push for the message (404 when the caller may not read it). */
  r.get('/push.get', requireAuth, route(async (req) => {
    const { id } = parse(PushGetQuery, req.query);
    return { data: await req.workspace.push.messageForDevice(actor(req), id) };
  }));

  r.get('/push.preferences', requireAuth, route(async (req) => ({
    preferences: { pushNotifications: await req.workspace.push.preferences(actor(req)) },
  })));

  r.post('/push.preferences', requireAuth, route(async (req) => {
    const { pushNotifications } = parse(SetPushPreferencesBody, req.body);
    await req.workspace.push.setPreferences(actor(req), pushNotifications);
    return { preferences: { pushNotifications } };
  }));

  r.get('/rooms.getNotification', requireAuth, route(async (req) => {
    const { roomId } = parse(RoomNotificationQuery, req.query);
    return { notifications: await req.workspace.push.roomNotification(actor(req), roomId) };
  }));

  r.post('/rooms.saveNotification', requireAuth, route(async (req) => {
    const { roomId, notifications } = parse(SaveRoomNotificationBody, req.body);
    return { notifications: await req.workspace.push.saveRoomNotification(actor(req), roomId, notifications) };
  }));
}
