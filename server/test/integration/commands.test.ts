import { expect } from 'chai';
import { collectEvents, connectSocket, loginUser, nextEvent, registerUser, sleep, uniqueName, type TestUser } from '@obmeet/test-kit';
import { createChannel, startWithAdmin, type TestServer } from '../helpers.js';

const run = (user: TestUser, roomId: string, command: string, params = '', extra: Record<string, unknown> = {}) =>
  user.api.post('commands.run', { command, params, roomId, ...extra });

describe('slash commands', function () {
  let server: TestServer;
  let admin: TestUser;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let guest: TestUser;

  before(async () => {
    ({ server, admin } = await startWithAdmin());
    owner = await registerUser(server.url);
    member = await registerUser(server.url);
    outsider = await registerUser(server.url);
    const name = uniqueName('guest');
    const created = await admin.api.post('users.create', { username: name, email: `${name}@x.test`, password: 'password1', name: 'Guest', roles: ['guest'] });
    expect(created.status).to.equal(200);
    guest = await loginUser(server.url, name, 'password1');
  });
  after(async () => server?.close());

  const members = async (rid: string, type: 'c' | 'p' = 'c') =>
    ((await owner.api.get(type === 'c' ? 'channels.members' : 'groups.members', { roomId: rid })).body.members as { username: string }[]).map((m) => m.username);
  const history = async (user: TestUser, rid: string) => (await user.api.get('chat.history', { roomId: rid })).body.messages as any[];

  it('lists the built-ins the caller may use, Rocket.Chat-shaped', async () => {
    const res = await member.api.get('commands.list', { count: 100 });
    expect(res.status).to.equal(200);
    const names = res.body.commands.map((c: { command: string }) => c.command);
    for (const c of ['join', 'leave', 'invite', 'kick', 'topic', 'me', 'shrug', 'mute', 'unmute', 'archive', 'msg']) expect(names).to.include(c);
    expect(res.body).to.include({ offset: 0, total: names.length, count: names.length });
    const kick = res.body.commands.find((c: { command: string }) => c.command === 'kick');
    expect(kick).to.deep.equal({ command: 'kick', description: 'Remove a user from this room', params: '@user' });
    expect(res.body.commands.find((c: { command: string }) => c.command === 'join').permission).to.equal('view-c-room');
    // a guest may not browse channels: /join is not offered
    const forGuest = (await guest.api.get('commands.list')).body.commands.map((c: { command: string }) => c.command);
    expect(forGuest).not.to.include('join');
    expect(forGuest).to.include('shrug');
    const filtered = await member.api.get('commands.list', { query: 'un' });
    expect(filtered.body.commands.map((c: { command: string }) => c.command)).to.deep.equal(['unmute']);
    expect((await server.api.get('commands.list')).status).to.equal(401);
  });

  it('answers 404 error-not-found for an unknown command, and 400 for a bad body', async () => {
    const room = await createChannel(owner);
    const res = await run(owner, room._id, 'nosuchcommand');
    expect(res.status).to.equal(404);
    expect(res.body.errorType).to.equal('error-not-found');
    expect(res.body.error).to.include('/nosuchcommand');
    expect((await owner.api.post('commands.run', { command: { $gt: '' }, roomId: room._id })).status).to.equal(400);
    expect((await owner.api.post('commands.run', { command: 'me', params: 'x', roomId: room._id, extra: 1 })).status).to.equal(400);
    expect(await history(owner, room._id)).to.have.length(0);
  });

  it('refuses to run in a room the caller cannot read, posting nothing', async () => {
    const group = await createChannel(owner, { type: 'p' });
    const res = await run(outsider, group._id, 'shrug', 'hi');
    expect(res.status).to.equal(404);
    expect(await history(owner, group._id)).to.have.length(0);
  });

  it('/join #channel joins a public channel; a private group looks like nothing', async () => {
    const here = await createChannel(owner, { members: [member.username] });
    const target = await createChannel(owner);
    const res = await run(member, here._id, 'join', `#${target.name}`);
    expect(res.status).to.equal(200);
    expect(res.body.response_type).to.equal('ephemeral');
    expect(res.body.message.private).to.equal(true);
    expect(await members(target._id)).to.include(member.username);

    const group = await createChannel(owner, { type: 'p' });
    const refused = await run(member, here._id, 'join', `#${group.name}`);
    expect(refused.status).to.equal(404);
    expect(await members(group._id, 'p')).not.to.include(member.username);
    expect((await run(member, here._id, 'join', '')).status).to.equal(400);
  });

  it('/leave leaves the room', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const res = await run(member, room._id, 'leave');
    expect(res.status).to.equal(200);
    expect(await members(room._id)).not.to.include(member.username);
  });

  it('/invite @user adds a member; a plain member cannot invite into a private group', async () => {
    const room = await createChannel(owner);
    const res = await run(owner, room._id, 'invite', `@${member.username}`);
    expect(res.status).to.equal(200);
    expect(await members(room._id)).to.include(member.username);

    const group = await createChannel(owner, { type: 'p', members: [member.username] });
    const refused = await run(member, group._id, 'invite', `@${outsider.username}`);
    expect(refused.status).to.equal(403);
    expect(await members(group._id, 'p')).not.to.include(outsider.username);
    const unknown = await run(owner, room._id, 'invite', '@nobody-here-xyz');
    expect(unknown.status).to.equal(404);
  });

  it('/kick @user: a plain member cannot kick in a private group (nothing changes); the owner can', async () => {
    const group = await createChannel(owner, { type: 'p', members: [member.username, outsider.username] });
    const before = await history(owner, group._id);
    const refused = await run(member, group._id, 'kick', `@${outsider.username}`);
    expect(refused.status).to.equal(403);
    expect(refused.body.errorType).to.equal('error-not-allowed');
    expect(await members(group._id, 'p')).to.include(outsider.username);
    expect(await history(owner, group._id)).to.deep.equal(before);

    const ok = await run(owner, group._id, 'kick', `@${outsider.username}`);
    expect(ok.status).to.equal(200);
    expect(await members(group._id, 'p')).not.to.include(outsider.username);
  });

  it('/topic sets the topic for owners only', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const refused = await run(member, room._id, 'topic', 'member topic');
    expect(refused.status).to.equal(403);
    expect((await owner.api.get('channels.info', { roomId: room._id })).body.channel.topic).to.equal(undefined);
    const ok = await run(owner, room._id, 'topic', 'Release planning');
    expect(ok.status).to.equal(200);
    expect((await owner.api.get('channels.info', { roomId: room._id })).body.channel.topic).to.equal('Release planning');
    expect((await run(owner, room._id, 'topic', 'x'.repeat(501))).status).to.equal(400);
  });

  it('/me posts an action message and /shrug appends the shrug, both in the room', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const me = await run(member, room._id, 'me', 'waves');
    expect(me.status).to.equal(200);
    expect(me.body.response_type).to.equal('in_channel');
    expect(me.body.message).to.include({ msg: 'waves', action: true });
    const shrug = await run(member, room._id, 'shrug', 'no idea');
    expect(shrug.body.message.msg).to.equal('no idea ¯\\_(ツ)_/¯');
    const msgs = await history(owner, room._id);
    expect(msgs.map((m) => m.msg).slice(0, 2)).to.deep.equal(['no idea ¯\\_(ツ)_/¯', 'waves']);
    expect(msgs[1].u.username).to.equal(member.username);
    expect((await run(member, room._id, 'me', '')).status).to.equal(400);
  });

  it('/mute and /unmute set the caller’s subscription flag only', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    expect((await run(member, room._id, 'mute')).status).to.equal(200);
    expect((await member.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription.muted).to.equal(true);
    expect((await owner.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription.muted).to.equal(false);
    expect((await run(member, room._id, 'unmute')).status).to.equal(200);
    expect((await member.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription.muted).to.equal(false);
  });

  it('/archive: a guest cannot (nothing changes); the owner can', async () => {
    const room = await createChannel(owner, { members: [guest.username] });
    const refused = await run(guest, room._id, 'archive');
    expect(refused.status).to.equal(403);
    expect((await owner.api.get('channels.info', { roomId: room._id })).body.channel.archived).to.equal(false);
    const ok = await run(owner, room._id, 'archive');
    expect(ok.status).to.equal(200);
    expect((await owner.api.get('channels.info', { roomId: room._id })).body.channel.archived).to.equal(true);
    // and an archived room takes no more posts, through commands either
    expect((await run(owner, room._id, 'shrug')).status).to.equal(403);
  });

  it('/msg @user text sends a direct message', async () => {
    const room = await createChannel(owner);
    const res = await run(owner, room._id, 'msg', `@${member.username} hello there`);
    expect(res.status).to.equal(200);
    expect(res.body.response_type).to.equal('ephemeral');
    const ims = (await member.api.get('im.list')).body.ims as { _id: string; usernames: string[] }[];
    const dm = ims.find((r) => r.usernames.includes(owner.username))!;
    expect(dm).to.exist;
    const msgs = await history(member, dm._id);
    expect(msgs[0]).to.deep.include({ msg: 'hello there' });
    expect(msgs[0].u.username).to.equal(owner.username);
    expect((await run(owner, room._id, 'msg', `@${member.username}`)).status).to.equal(400);
    // a guest may DM (create-d) but an unknown user is refused with nothing created
    expect((await run(guest, room._id, 'msg', '@no-such-user-q hi')).status).to.be.oneOf([403, 404]);
  });

  it('an ephemeral reply reaches only the caller’s sockets', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const mine = await connectSocket(server.url, member);
    const theirs = await connectSocket(server.url, owner);
    try {
      const seen = collectEvents(theirs, 'message.ephemeral');
      const arrives = nextEvent(mine, 'message.ephemeral');
      const res = await run(member, room._id, 'mute');
      const got = await arrives;
      expect(got).to.deep.equal(res.body.message);
      expect(got).to.include({ rid: room._id, private: true, command: 'mute' });
      await sleep(300);
      expect(seen.items).to.have.length(0);
      // nothing was stored for it
      expect(await history(owner, room._id)).to.have.length(0);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('registration is public: meetings and apps add commands, a slow one answers through its follow-up', async () => {
    const ws = server.workspace;
    const room = await createChannel(owner, { members: [member.username] });
    const remove = ws.commands.register({
      command: 'slowpoke',
      description: 'Takes its time',
      params: 'text',
      owner: 'test',
      async handler({ params, followUp }) {
        await sleep(250);
        await followUp.post({ response_type: 'in_channel', text: `posted later: ${params}` });
        return { text: `done: ${params}` };
      },
    });
    expect(() => ws.commands.register({ command: 'slowpoke', description: '', params: '', handler: async () => ({ text: '' }) })).to.throw(/already/);
    const previousAck = ws.commands.ackMs;
    ws.commands.ackMs = 50;
    const socket = await connectSocket(server.url, member);
    try {
      expect((await member.api.get('commands.list', { query: 'slow' })).body.commands).to.have.length(1);
      const replaced = nextEvent<any>(socket, 'message.ephemeral', 3000, (m) => Boolean(m.replaces));
      const posted = nextEvent<any>(socket, 'message.created', 3000, (m) => m.msg.startsWith('posted later'));
      const res = await run(member, room._id, 'slowpoke', 'abc');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ response_type: 'ephemeral', pending: true });
      const final = await replaced;
      expect(final._id).to.equal(res.body.message._id);
      expect(final.msg).to.equal('done: abc');
      expect((await posted).u.username).to.equal(member.username);
    } finally {
      ws.commands.ackMs = previousAck;
      socket.close();
      remove();
    }
    expect((await member.api.get('commands.list', { query: 'slow' })).body.commands).to.have.length(0);
    expect((await run(member, room._id, 'slowpoke')).status).to.equal(404);
  });
});
