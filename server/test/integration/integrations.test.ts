import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, loginUser, registerUser, uniqueName, type TestUser } from '@obmeet/test-kit';
import { outboundRequest, OutboundRefused } from '../../src/http-client/outbound.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { createChannel, send, startTestServer, startWithAdmin, type TestServer } from '../helpers.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback HTTP server that records requests and answers with `handler`; counts raw connections. */
async function listen(host: string, handler: (req: Received, res: ServerResponse) => void = (_r, res) => res.end('ok')) {
  const received: Received[] = [];
  let connections = 0;
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      handler(r, res);
    });
  });
  srv.on('connection', () => connections++);
  await new Promise<void>((ok) => srv.listen(0, host, () => ok()));
  const port = (srv.address() as AddressInfo).port;
  return {
    port,
    received,
    connections: () => connections,
    close: () => new Promise<void>((ok) => { srv.closeAllConnections(); srv.close(() => ok()); }),
  };
}

async function createBot(admin: TestUser, server: TestServer): Promise<TestUser> {
  const name = uniqueName('bot');
  const created = await admin.api.post('users.create', { username: name, email: `${name}@x.test`, password: 'password1', name: 'Bot', type: 'bot' });
  expect(created.status).to.equal(200);
  return loginUser(server.url, name, 'password1');
}

describe('outgoing HTTP client', function () {
  let canary: Awaited<ReturnType<typeof listen>>;
  before(async () => (canary = await listen('127.0.0.1', (_r, res) => res.end('canary'))));
  after(async () => canary.close());

  const refused = async (url: string, options: Parameters<typeof outboundRequest>[1] = {}) => {
    try {
      await outboundRequest({ url, method: 'POST', body: '{}' }, options);
    } catch (err) {
      expect(err).to.be.instanceOf(OutboundRefused);
      return (err as OutboundRefused).reason;
    }
    throw new Error(`${url} was not refused`);
  };

  it('refuses loopback in every spelling, private, link-local and mapped addresses, before connecting', async () => {
    const p = canary.port;
    for (const url of [
      `http://127.0.0.1:${p}/`,
      `http://127.1:${p}/`,
      `http://0x7f000001:${p}/`,
      `http://2130706433:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      `http://[::1]:${p}/`,
      `http://0.0.0.0:${p}/`,
      `http://localhost:${p}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
    ]) {
      expect(await refused(url), url).to.equal('address');
    }
    expect(await refused(`ftp://127.0.0.1:${p}/`)).to.equal('scheme');
    expect(await refused('file:///etc/passwd')).to.equal('scheme');
    expect(await refused(`http://user:pw@localhost:${p}/`, { allowedHosts: ['localhost'] })).to.equal('credentials');
    // a name resolving to loopback is refused, whatever the resolver says first
    expect(await refused(`http://intranet.example:${p}/`, { resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }] })).to.equal('address');
    expect(canary.connections()).to.equal(0);
  });

  it('refuses a redirect to loopback, checked on the hop, and caps redirects', async () => {
    const redirector = await listen('127.0.0.1', (r, res) => {
      if (r.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else res.writeHead(307, { location: `http://127.0.0.1:${canary.port}/stolen` }).end();
    });
    try {
      expect(await refused(`http://localhost:${redirector.port}/go`, { allowedHosts: ['localhost'] })).to.equal('address');
      expect(redirector.received).to.have.length(1);
      expect(canary.connections()).to.equal(0);
      expect(await refused(`http://localhost:${redirector.port}/loop`, { allowedHosts: ['localhost'] })).to.equal('redirects');
      expect(redirector.received).to.have.length(1 + 4);
    } finally {
      await redirector.close();
    }
  });

  it('reaches the same canary when the admin allows its host, and connects to the address it checked', async () => {
    const res = await outboundRequest({ url: `http://localhost:${canary.port}/ok`, method: 'POST', body: '{}' }, { allowedHosts: ['localhost'] });
    expect(res.status).to.equal(200);
    expect(res.body.toString()).to.equal('canary');
    expect(canary.connections()).to.equal(1);
    // the connection goes to the checked address, not to a fresh lookup: 127.0.0.2 is where only this one listens
    const pinned = await listen('127.0.0.2', (_r, r2) => r2.end('pinned'));
    try {
      const viaPinned = await outboundRequest(
        { url: `http://localhost:${pinned.port}/` },
        { allowedHosts: ['LOCALHOST'], resolve: async () => [{ address: '127.0.0.2', family: 4 }] },
      );
      expect(viaPinned.body.toString()).to.equal('pinned');
    } finally {
      await pinned.close();
    }
  });

  it('limits response size and time', async () => {
    const big = await listen('127.0.0.1', (_r, res) => res.end(Buffer.alloc(2 * 1024 * 1024, 120)));
    const slow = await listen('127.0.0.1', () => undefined);
    try {
      expect(await refused(`http://localhost:${big.port}/`, { allowedHosts: ['localhost'] })).to.equal('too-large');
      const started = Date.now();
      expect(await refused(`http://localhost:${slow.port}/`, { allowedHosts: ['localhost'], timeoutMs: 200 })).to.equal('timeout');
      expect(Date.now() - started).to.be.lessThan(2000);
    } finally {
      await big.close();
      await slow.close();
    }
  });
});

describe('webhooks and bots', function () {
  let server: TestServer;
  let admin: TestUser;
  let owner: TestUser;
  let bot: TestUser;

  before(async () => {
    ({ server, admin } = await startWithAdmin());
    owner = await registerUser(server.url);
    bot = await createBot(admin, server);
    server.workspace.integrations.retryBaseMs = 20;
  });
  after(async () => server?.close());

  const history = async (user: TestUser, rid: string) => (await user.api.get('chat.history', { roomId: rid })).body.messages as any[];
  const hookCount = () => server.workspace.db.collection('integrations').countDocuments({});

  async function incomingHook(extra: Record<string, unknown> = {}) {
    const room = await createChannel(owner, { members: [bot.username, admin.username] });
    const res = await admin.api.post('integrations.create', { type: 'webhook-incoming', name: 'CI', roomId: room._id, username: bot.username, ...extra });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return { room, hook: res.body.integration, token: res.body.token as string, path: res.body.path as string };
  }

  describe('incoming', () => {
    it('posts a Slack-style payload with alias, avatar and sanitised attachments', async () => {
      const { room, hook, token, path } = await incomingHook({ alias: 'Default CI' });
      expect(path).to.equal(`/hooks/${hook._id}/${token}`);
      expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
      const res = await server.api.request('POST', path, {
        text: 'Build #42 passed',
        username: 'Jenkins',
        icon_url: 'https://ci.example.test/icon.png',
        channel: '#ignored',
        attachments: [
          {
            title: 'Build 42',
            title_link: 'https://ci.example.test/42',
            text: 'all green',
            color: '#36a64f',
            fields: [{ title: 'Branch', value: 'main', short: true }],
          },
          { title: 'Evil', title_link: 'javascript:alert(1)', color: 'expression(x)' },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const [m] = await history(owner, room._id);
      expect(m._id).to.equal(res.body.messageId);
      expect(m).to.deep.include({ msg: 'Build #42 passed', alias: 'Jenkins', avatar: 'https://ci.example.test/icon.png', bot: { i: hook._id } });
      expect(m.u.username).to.equal(bot.username);
      expect(m.attachments).to.deep.equal([
        { title: 'Build 42', title_link: 'https://ci.example.test/42', text: 'all green', color: '#36a64f', fields: [{ title: 'Branch', value: 'main', short: true }] },
        { title: 'Evil' },
      ]);
      // the hook's default alias, a form body with `payload`, and attachments without text
      const form = await server.api.request('POST', path, `payload=${encodeURIComponent(JSON.stringify({ attachments: [{ text: 'only an attachment' }] }))}`, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(form.status).to.equal(200);
      const [m2] = await history(owner, room._id);
      expect(m2).to.deep.include({ msg: '', alias: 'Default CI', attachments: [{ text: 'only an attachment' }] });
    });

    it('a wrong, revoked, regenerated-away or deleted token gets 404 and posts nothing; the token is stored hashed', async () => {
      const { room, hook, token, path } = await incomingHook();
      const stored = await server.workspace.db.collection('integrations').findOne({ _id: hook._id } as never);
      expect(JSON.stringify(stored)).not.to.include(token);
      const body = { text: 'should not appear' };
      const wrong = await server.api.request('POST', `/hooks/${hook._id}/${token.slice(0, -2)}xx`, body);
      expect(wrong.status).to.equal(404);
      expect(wrong.body.errorType).to.equal('error-not-found');
      expect((await server.api.request('POST', `/hooks/${hook._id}/short`, body)).status).to.equal(404);
      expect((await server.api.request('POST', `/hooks/nope/${token}`, body)).status).to.equal(404);

      expect((await admin.api.post('integrations.update', { integrationId: hook._id, enabled: false })).status).to.equal(200);
      const disabled = await server.api.request('POST', path, body);
      expect(disabled.status).to.equal(404);
      expect(disabled.body).to.deep.equal(wrong.body);
      expect((await admin.api.post('integrations.update', { integrationId: hook._id, enabled: true })).status).to.equal(200);

      const regen = await admin.api.post('integrations.update', { integrationId: hook._id, regenerateToken: true });
      expect(regen.body.token).to.be.a('string').and.not.equal(token);
      expect((await server.api.request('POST', path, body)).status).to.equal(404);
      expect((await server.api.request('POST', regen.body.path, { text: 'with the new token' })).status).to.equal(200);

      expect((await admin.api.post('integrations.remove', { integrationId: hook._id })).status).to.equal(200);
      expect((await server.api.request('POST', regen.body.path, body)).status).to.equal(404);
      const texts = (await history(owner, room._id)).map((m) => m.msg);
      expect(texts).to.deep.equal(['with the new token']);
    });

    it('validates bodies, limits their size, and only admins manage hooks', async () => {
      const { room, path } = await incomingHook();
      expect((await server.api.request('POST', path, { text: { $gt: '' } })).status).to.equal(400);
      expect((await server.api.request('POST', path, {})).status).to.equal(400);
      expect((await server.api.request('POST', path, { text: 'x'.repeat(300 * 1024) })).status).to.equal(413);
      expect(await history(owner, room._id)).to.have.length(0);

      const before = await hookCount();
      const byUser = await owner.api.post('integrations.create', { type: 'webhook-incoming', name: 'x', roomId: room._id, username: bot.username });
      expect(byUser.status).to.equal(403);
      expect((await owner.api.get('integrations.list')).status).to.equal(403);
      const unknownUser = await admin.api.post('integrations.create', { type: 'webhook-incoming', name: 'x', roomId: room._id, username: owner.username + 'zz' });
      expect(unknownUser.status).to.equal(400);
      const other = await createChannel(owner);
      const botNotIn = await admin.api.post('integrations.create', { type: 'webhook-incoming', name: 'x', roomId: other._id, username: bot.username });
      expect(botNotIn.status).to.equal(400);
      expect(await hookCount()).to.equal(before);

      const list = await admin.api.get('integrations.list');
      expect(list.status).to.equal(200);
      expect(list.body.total).to.equal(before);
      expect(JSON.stringify(list.body)).not.to.match(/tokenHash|"secret"/);
    });
  });

  it('never logs an incoming webhook token', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, done) { lines.push(chunk.toString()); done(); } });
    const local = await startTestServer({}, undefined, createLogger('info', sink));
    try {
      const a = await registerUser(local.url);
      const room = await createChannel(a);
      const created = await a.api.post('integrations.create', { type: 'webhook-incoming', name: 'log', roomId: room._id, username: a.username });
      expect((await local.api.request('POST', created.body.path, { text: 'hi' })).status).to.equal(200);
      expect((await local.api.request('POST', `${created.body.path}x`, { text: 'hi' })).status).to.equal(404);
      expect(lines.join('\n')).to.include('/hooks/');
      expect(lines.join('\n')).not.to.include(created.body.token);
    } finally {
      await local.close();
    }
  });

  describe('outgoing', () => {
    let receiver: Awaited<ReturnType<typeof listen>>;
    let reply: (r: Received, res: ServerResponse) => void;
    before(async () => {
      receiver = await listen('127.0.0.1', (r, res) => reply(r, res));
      expect((await admin.api.post('settings/integrations.allowedHosts', { value: 'ci.example.test, localhost' })).status).to.equal(200);
    });
    after(async () => receiver.close());
    beforeEach(() => {
      receiver.received.length = 0;
      reply = (_r, res) => res.end();
    });

    async function outgoingHook(rid: string, extra: Record<string, unknown> = {}) {
      const res = await admin.api.post('integrations.create', {
        type: 'webhook-outgoing',
        name: 'deployer',
        roomIds: [rid],
        url: `http://localhost:${receiver.port}/hook`,
        username: bot.username,
        ...extra,
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return { hook: res.body.integration, secret: res.body.secret as string };
    }

    it('delivers messages starting with a trigger word, signed, and posts the reply text back', async () => {
      const room = await createChannel(owner, { members: [bot.username] });
      const { hook, secret } = await outgoingHook(room._id, { triggerWords: ['!deploy', 'ship'] });
      expect(hook.token).to.be.a('string');
      expect(JSON.stringify(hook)).not.to.include(secret);
      reply = (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: '!deploy started', username: 'Deployer' }));

      await send(owner, room._id, 'hello there');
      await server.workspace.integrations.idle();
      expect(receiver.received).to.have.length(0);

      const sent = await send(owner, room._id, '!deploy production');
      await server.workspace.integrations.idle();
      expect(receiver.received).to.have.length(1);
      const r = receiver.received[0]!;
      expect(r.method).to.equal('POST');
      expect(r.headers['content-type']).to.equal('application/json');
      // the receiver verifies the signature with the hook's secret
      const expected = `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;
      expect(r.headers['x-obmeet-signature']).to.equal(expected);
      const payload = JSON.parse(r.body);
      expect(String(payload.sent_at)).to.equal(r.headers['x-obmeet-timestamp']);
      expect(payload).to.deep.include({
        token: hook.token,
        channel_id: room._id,
        channel_name: room.name,
        user_id: owner._id,
        user_name: owner.username,
        text: '!deploy production',
        trigger_word: '!deploy',
        message_id: sent._id,
      });
      expect(payload.timestamp).to.be.a('number');

      // the reply is posted as the hook's user, and (though it starts with a trigger word) not sent again
      const [m] = await history(owner, room._id);
      expect(m).to.deep.include({ msg: '!deploy started', alias: 'Deployer', bot: { i: hook._id } });
      expect(m.u.username).to.equal(bot.username);
      expect(receiver.received).to.have.length(1);
      const got = await admin.api.get('integrations.get', { integrationId: hook._id });
      expect(got.body.integration.lastDelivery).to.deep.include({ ok: true, attempts: 1, status: 200 });
      await admin.api.post('integrations.remove', { integrationId: hook._id });
    });

    it('retries after a 500 with backoff, and skips messages posted by webhooks', async () => {
      const room = await createChannel(owner, { members: [bot.username, admin.username] });
      const { hook } = await outgoingHook(room._id);
      let calls = 0;
      reply = (_r, res) => {
        calls++;
        res.writeHead(calls === 1 ? 500 : 200).end();
      };
      await send(owner, room._id, 'anything');
      await server.workspace.integrations.idle();
      expect(receiver.received).to.have.length(2);
      const strip = (b: string) => ({ ...JSON.parse(b), sent_at: 0 });
      expect(strip(receiver.received[0]!.body)).to.deep.equal(strip(receiver.received[1]!.body));
      const got = await admin.api.get('integrations.get', { integrationId: hook._id });
      expect(got.body.integration.lastDelivery).to.deep.include({ ok: true, attempts: 2, status: 200 });

      // three 500s: gives up after 3 attempts
      reply = (_r, res) => res.writeHead(503).end();
      receiver.received.length = 0;
      await send(owner, room._id, 'again');
      await server.workspace.integrations.idle();
      expect(receiver.received).to.have.length(3);
      expect((await admin.api.get('integrations.get', { integrationId: hook._id })).body.integration.lastDelivery).to.deep.include({ ok: false, attempts: 3 });

      // an incoming webhook's message does not go out again
      receiver.received.length = 0;
      const incoming = await admin.api.post('integrations.create', { type: 'webhook-incoming', name: 'in', roomId: room._id, username: bot.username });
      expect((await server.api.request('POST', incoming.body.path, { text: 'from a hook' })).status).to.equal(200);
      await server.workspace.integrations.idle();
      expect(receiver.received).to.have.length(0);
      await admin.api.post('integrations.remove', { integrationId: hook._id });
    });

    it('never reaches a loopback receiver whose host is not allowed (canary sees no connection)', async () => {
      const canary = await listen('127.0.0.1');
      try {
        const room = await createChannel(owner, { members: [bot.username] });
        const { hook } = await outgoingHook(room._id, { url: `http://127.0.0.1:${canary.port}/hook` });
        await send(owner, room._id, 'leak me');
        await server.workspace.integrations.idle();
        expect(canary.connections()).to.equal(0);
        const got = await admin.api.get('integrations.get', { integrationId: hook._id });
        expect(got.body.integration.lastDelivery).to.deep.include({ ok: false, attempts: 1 });
        expect(got.body.integration.lastDelivery.error).to.match(/Refused/);
        // a disabled hook sends nothing at all
        await admin.api.post('integrations.update', { integrationId: hook._id, enabled: false, url: `http://localhost:${receiver.port}/x` });
        await send(owner, room._id, 'not sent');
        await server.workspace.integrations.idle();
        expect(receiver.received).to.have.length(0);
      } finally {
        await canary.close();
      }
    });

    it('refuses hooks on rooms the admin cannot read and URLs that are not http(s)', async () => {
      const group = await createChannel(owner, { type: 'p', members: [bot.username] });
      const before = await hookCount();
      const hidden = await admin.api.post('integrations.create', {
        type: 'webhook-outgoing', name: 'spy', roomIds: [group._id], url: `http://localhost:${receiver.port}/`, username: bot.username,
      });
      expect(hidden.status).to.equal(404);
      const room = await createChannel(owner);
      const js = await admin.api.post('integrations.create', { type: 'webhook-outgoing', name: 'x', roomIds: [room._id], url: 'javascript:alert(1)', username: bot.username });
      expect(js.status).to.equal(400);
      expect(await hookCount()).to.equal(before);
    });
  });

  describe('bots', () => {
    it('a bot with a personal access token posts, reads history, reacts and runs a slash command', async () => {
      const pat = await bot.api.post('users.generatePersonalAccessToken', { tokenName: uniqueName('pat') });
      expect(pat.status).to.equal(200);
      const api = new ApiClient(server.url).withAuth(bot._id, pat.body.token);
      const room = await createChannel(owner, { members: [bot.username] });
      const theirs = await send(owner, room._id, 'hi bot');

      const posted = await api.post('chat.postMessage', { roomId: room._id, text: 'beep boop' });
      expect(posted.status).to.equal(200);
      const hist = await api.get('chat.history', { roomId: room._id });
      expect(hist.status).to.equal(200);
      expect(hist.body.messages.map((m: { msg: string }) => m.msg)).to.deep.equal(['beep boop', 'hi bot']);
      const reacted = await api.post('chat.react', { messageId: theirs._id, emoji: 'robot_face' });
      expect(reacted.status).to.equal(200);
      expect(reacted.body.message.reactions[':robot_face:'].usernames).to.deep.equal([bot.username]);
      const cmd = await api.post('commands.run', { command: '/shrug', params: 'dunno', roomId: room._id });
      expect(cmd.status).to.equal(200);
      expect(cmd.body.message).to.deep.include({ msg: 'dunno ¯\\_(ツ)_/¯' });
      expect(cmd.body.message.u.username).to.equal(bot.username);
      const listed = await api.get('commands.list');
      expect(listed.status).to.equal(200);
    });
  });
});
