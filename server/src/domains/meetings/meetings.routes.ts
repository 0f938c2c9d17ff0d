import type { Request, Router } from 'express';
import {
  CreateMeetingBody,
  JoinMeetingBody,
  LeaveMeetingBody,
  ListMeetingsQuery,
  MeetingIdBody,
  MeetingKeyQuery,
  MeetingMediaBody,
  ModerateMeetingBody,
  ScheduleMeetingBody,
  UpdateMeetingBody,
} from '@obmeet/contracts';
import { Errors } from '../../errors.js';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import type { MeetingIdentity } from './meetings.service.js';

/** A signed-in user, or a guest proving itself with its meeting-scoped token (guests have no session). */
async function identityOf(req: Request, meetingId: string, guestToken: string | undefined): Promise<MeetingIdentity> {
  if (req.auth) return { kind: 'user', actor: req.auth.actor };
  if (!guestToken) throw Errors.unauthorized();
  const guest = await req.workspace.meetings.guestByToken(guestToken);
  if (!guest || guest.meetingId !== meetingId) throw Errors.unauthorized();
  return { kind: 'guest', ...guest };
}

export function meetingsRoutes(r: Router): void {
  r.post('/meetings.create', requireAuth, route(async (req) => {
    const body = parse(CreateMeetingBody, req.body);
    return { meeting: await req.workspace.meetings.create(actor(req), body) };
  }));
  r.post('/meetings.schedule', requireAuth, route(async (req) => {
    const body = parse(ScheduleMeetingBody, req.body);
    return { meeting: await req.workspace.meetings.schedule(actor(req), body) };
  }));
  r.post('/meetings.update', requireAuth, route(async (req) => {
    const body = parse(UpdateMeetingBody, req.body);
    return { meeting: await req.workspace.meetings.update(actor(req), body) };
  }));
  r.post('/meetings.cancel', requireAuth, route(async (req) => {
    const body = parse(MeetingIdBody, req.body);
    return { meeting: await req.workspace.meetings.cancel(actor(req), body.meetingId) };
  }));
  // the pre-join screen: open to guests holding the link
  r.get('/meetings.info', route(async (req) => {
    const q = parse(MeetingKeyQuery, req.query);
    return { meeting: await req.workspace.meetings.info(req.auth?.actor ?? null, q.key) };
  }));
  r.post('/meetings.join', route(async (req) => {
    const body = parse(JoinMeetingBody, req.body);
    return await req.workspace.meetings.join(req.auth?.actor ?? null, body);
  }));
  r.post('/meetings.leave', route(async (req) => {
    const body = parse(LeaveMeetingBody, req.body);
    await req.workspace.meetings.leave(await identityOf(req, body.meetingId, body.guestToken), body.meetingId, body.participantId);
  }));
  r.post('/meetings.media', route(async (req) => {
    const body = parse(MeetingMediaBody, req.body);
    const identity = await identityOf(req, body.meetingId, body.guestToken);
    await req.workspace.meetings.setMedia(identity, body.meetingId, body.participantId, { audio: body.audio, video: body.video });
  }));
  r.post('/meetings.moderate', requireAuth, route(async (req) => {
    const body = parse(ModerateMeetingBody, req.body);
    return { meeting: await req.workspace.meetings.moderate(actor(req), body.meetingId, body.action, body.participantId) };
  }));
  r.get('/meetings.list', requireAuth, route(async (req) => {
    const q = parse(ListMeetingsQuery, req.query);
    const meetings = await req.workspace.meetings.list(actor(req), { rid: q.rid, mine: !!q.mine, offset: q.offset, count: q.count });
    return { meetings };
  }));
}
