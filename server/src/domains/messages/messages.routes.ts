import type { Router } from 'express';
import {
  DeleteMessageBody,
  GetMessageQuery,
  HistoryQuery,
  MessageIdBody,
  PostMessageBody,
  ReactBody,
  SendMessageBody,
  SyncQuery,
  ThreadMessagesQuery,
  UpdateMessageBody,
} from '@obmeet/contracts';
import { Errors } from '../../errors.js';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import type { Workspace } from '../../workspace/workspace.js';

export function messagesRoutes(r: Router): void {
  r.post('/chat.sendMessage', requireAuth, route(async (req) => {
    const { message } = parse(SendMessageBody, req.body);
    return { message: await req.workspace.messages.send(actor(req), message) };
  }));

  /** Rocket.Chat's bot-friendly form: roomId, or channel as #name or @username. */
  r.post('/chat.postMessage', requireAuth, route(async (req) => {
    const body = parse(PostMessageBody, req.body);
    const ws = req.workspace;
    const a = actor(req);
    let rid = body.roomId;
    if (!rid && body.channel) {
      if (body.channel.startsWith('@')) rid = (await ws.rooms.createDirect(a, [body.channel.slice(1)]))._id;
      else if (body.channel.startsWith('#')) rid = (await ws.rooms.roomByName(body.channel.slice(1)))._id;
      else throw Errors.invalid('channel must start with # or @');
    }
    const message = await ws.messages.send(a, { rid: rid!, msg: body.text, tmid: body.tmid });
    return { ts: Date.parse(message.ts), channel: body.channel ?? rid, message };
  }));

  r.post('/chat.update', requireAuth, route(async (req) => {
    const b = parse(UpdateMessageBody, req.body);
    return { message: await req.workspace.messages.update(actor(req), b.roomId, b.msgId, b.text) };
  }));

  r.post('/chat.delete', requireAuth, route(async (req) => {
    const b = parse(DeleteMessageBody, req.body);
    await req.workspace.messages.delete(actor(req), b.roomId, b.msgId);
    return { _id: b.msgId };
  }));

  r.post('/chat.react', requireAuth, route(async (req) => {
    const b = parse(ReactBody, req.body);
    return { message: await req.workspace.messages.react(actor(req), b.messageId, b.emoji, b.shouldReact) };
  }));

  r.get('/chat.getMessage', requireAuth, route(async (req) => {
    const q = parse(GetMessageQuery, req.query);
    return { message: await req.workspace.messages.getMessage(actor(req), q.msgId) };
  }));

  r.get('/chat.getMessageEdits', requireAuth, route(async (req) => {
    const q = parse(GetMessageQuery, req.query);
    return { edits: await req.workspace.messages.editHistory(actor(req), q.msgId) };
  }));

  r.get('/chat.getThreadMessages', requireAuth, route(async (req) => {
    const q = parse(ThreadMessagesQuery, req.query);
    const { messages, total } = await req.workspace.messages.threadMessages(actor(req), q.tmid, q.offset, q.count);
    return { messages, count: messages.length, offset: q.offset, total };
  }));

  r.get('/chat.syncMessages', requireAuth, route(async (req) => {
    const q = parse(SyncQuery, req.query);
    return { result: await req.workspace.messages.sync(actor(req), q.roomId, q.since, q.count) };
  }));

  r.get('/chat.history', requireAuth, route(async (req) => {
    const q = parse(HistoryQuery, req.query);
    return await req.workspace.messages.history(actor(req), q.roomId, q);
  }));

  const flag = (path: string, run: (ws: Workspace, a: ReturnType<typeof actor>, id: string) => Promise<unknown>) =>
    r.post(path, requireAuth, route(async (req) => {
      const { messageId } = parse(MessageIdBody, req.body);
      return { message: await run(req.workspace, actor(req), messageId) };
    }));
  flag('/chat.pinMessage', (ws, a, id) => ws.messages.setPinned(a, id, true));
  flag('/chat.unPinMessage', (ws, a, id) => ws.messages.setPinned(a, id, false));
  flag('/chat.starMessage', (ws, a, id) => ws.messages.setStarred(a, id, true));
  flag('/chat.unStarMessage', (ws, a, id) => ws.messages.setStarred(a, id, false));
}
