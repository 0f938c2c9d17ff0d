import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApiClient, registerUser, type TestUser } from '@obmeet/test-kit';
import { createChannel, startWithAdmin, type TestServer } from '../helpers.js';

/** POST /api/v1/rooms.upload/:rid as multipart/form-data (Node's FormData + Blob). */
async function upload(user: TestUser, rid: string, bytes: Buffer | string, name: string, fields: Record<string, string> = {}, type = 'application/octet-stream') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(`${user.api.baseUrl}/api/v1/rooms.upload/${rid}`, {
    method: 'POST',
    headers: { 'x-user-id': user._id, 'x-auth-token': user.token },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function download(user: { _id: string; token: string } | null, url: string, baseUrl: string, headers: Record<string, string> = {}) {
  const res = await fetch(baseUrl + url, { headers: { ...(user ? { 'x-user-id': user._id, 'x-auth-token': user.token } : {}), ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('files', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: TestUser;

  const fileCollections = async () =>
    (await server.workspace.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => /^(file_|rfiles_|ufiles_)/.test(n)).sort();
  const fileDocs = async (rid: string) => server.workspace.db.collection(`rfiles_${rid}`).countDocuments({});
  const lastSeq = async (rid: string) => (await server.workspace.db.collection<{ _id: string; lastSeq: number }>('rooms').findOne({ _id: rid }))!.lastSeq;
  const setSetting = async (key: string, value: unknown) => expect((await admin.api.post(`settings/${key}`, { value })).status).to.equal(200);

  before(async () => {
    ({ server, admin } = await startWithAdmin());
  });
  after(async () => server?.close());

  it('uploads a file as a message and downloads the same bytes with safe headers', async () => {
    const room = await createChannel(admin);
    const bytes = randomBytes(700 * 1024); // three chunks
    const res = await upload(admin, room._id, bytes, 'report ü.bin', { msg: 'the numbers' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const { message, file } = res.body;
    expect(message.msg).to.equal('the numbers');
    expect(message.file).to.deep.equal({ _id: file._id, name: 'report ü.bin', type: 'application/octet-stream', size: bytes.length });
    expect(message.attachments[0]).to.include({ type: 'file', title: 'report ü.bin', title_link: file.url });
    expect(await server.workspace.db.collection(`file_${file._id}`).countDocuments({})).to.equal(3);

    const got = await download(admin, file.url, server.url);
    expect(got.status).to.equal(200);
    expect(got.bytes.equals(bytes)).to.equal(true);
    expect(got.headers.get('content-type')).to.equal('application/octet-stream');
    expect(got.headers.get('content-length')).to.equal(String(bytes.length));
    expect(got.headers.get('content-disposition')).to.match(/^attachment; filename="report _\.bin"; filename\*=UTF-8''report%20%C3%BC\.bin$/);
    expect(got.headers.get('x-content-type-options')).to.equal('nosniff');

    // the message shows in the room's history with its file
    const history = await admin.api.get('channels.history', { roomId: room._id });
    expect(history.body.messages[0].file._id).to.equal(file._id);
  });

  it('downloads with the session cookie, and refuses anonymous requests', async () => {
    const room = await createChannel(admin);
    const { body } = await upload(admin, room._id, 'hello cookie', 'hello.txt', {}, 'text/plain');
    const login = await new ApiClient(server.url).post('login', { user: admin.username, password: admin.password, cookie: true });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).to.match(/=/);
    const viaCookie = await download(null, body.file.url, server.url, { cookie });
    expect(viaCookie.status).to.equal(200);
    expect(viaCookie.bytes.toString()).to.equal('hello cookie');
    expect(viaCookie.headers.get('content-type')).to.equal('text/plain');
    expect((await download(null, body.file.url, server.url)).status).to.equal(401);
  });

  it('gives images their dimensions and a thumbnail, shown inline', async () => {
    const room = await createChannel(admin);
    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const res = await upload(admin, room._id, png, 'red.png', {}, 'image/png');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const { message, file } = res.body;
    expect(file.identify).to.deep.equal({ size: { width: 800, height: 600 } });
    const att = message.attachments[0];
    expect(att.image_dimensions).to.deep.equal({ width: 800, height: 600 });
    expect(att.image_type).to.equal('image/png');
    expect(att.image_url).to.equal(`${file.url}?thumb=1`);

    const full = await download(admin, file.url, server.url);
    expect(full.headers.get('content-type')).to.equal('image/png');
    expect(full.headers.get('content-disposition')).to.match(/^inline;/);
    expect(full.bytes.equals(png)).to.equal(true);
    const thumb = await download(admin, att.image_url, server.url);
    expect(thumb.status).to.equal(200);
    const meta = await sharp(thumb.bytes).metadata();
    expect([meta.width, meta.height]).to.deep.equal([360, 270]);
    expect(thumb.headers.get('x-content-type-options')).to.equal('nosniff');
  });

  it('rejects an upload over the size limit while streaming, keeping nothing', async () => {
    const room = await createChannel(admin);
    await setSetting('files.maxSizeBytes', 300 * 1024);
    try {
      const before = await fileCollections();
      const seq = await lastSeq(room._id);
      const res = await upload(admin, room._id, randomBytes(1024 * 1024), 'big.bin');
      expect(res.status).to.equal(413);
      expect(res.body.errorType).to.equal('error-payload-too-large');
      expect(await fileCollections()).to.deep.equal(before);
      expect(await fileDocs(room._id)).to.equal(0);
      expect(await lastSeq(room._id)).to.equal(seq);
      // just under the limit is fine
      expect((await upload(admin, room._id, randomBytes(300 * 1024), 'ok.bin')).status).to.equal(200);
    } finally {
      await setSetting('files.maxSizeBytes', 100 * 1024 * 1024);
    }
  });

  it('checks the type on the bytes: disguised HTML and executables are refused, SVG is only ever an attachment', async () => {
    const room = await createChannel(admin);
    const before = await fileCollections();
    const seq = await lastSeq(room._id);
    const html = await upload(admin, room._id, '<!DOCTYPE html><html><script>alert(1)</script></html>', 'cat.png', {}, 'image/png');
    expect(html.status).to.equal(415);
    expect(html.body.errorType).to.equal('error-unsupported-media-type');
    const htmlAsText = await upload(admin, room._id, '  <html><body onload=alert(1)>', 'notes.txt', {}, 'text/plain');
    expect(htmlAsText.status).to.equal(415);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), randomBytes(512)]);
    exe.writeUInt32LE(64, 60);
    Buffer.from('PE\0\0').copy(exe, 64);
    expect((await upload(admin, room._id, exe, 'photo.png', {}, 'image/png')).status).to.equal(415);
    expect(await fileCollections()).to.deep.equal(before);
    expect(await lastSeq(room._id)).to.equal(seq);

    const svg = await upload(admin, room._id, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'logo.svg', {}, 'image/svg+xml');
    expect(svg.status, JSON.stringify(svg.body)).to.equal(200);
    expect(svg.body.file.type).to.equal('image/svg+xml');
    expect(svg.body.message.attachments[0].image_url).to.equal(undefined);
    const got = await download(admin, svg.body.file.url, server.url);
    expect(got.status).to.equal(200);
    expect(got.headers.get('content-disposition')).to.match(/^attachment;/);
    expect(got.headers.get('content-type')).to.equal('application/octet-stream');
    expect(got.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(got.headers.get('content-security-policy')).to.match(/sandbox/);
  });

  it('applies the allowed and blocked type settings to the detected type', async () => {
    const room = await createChannel(admin);
    await setSetting('files.allowedTypes', 'image/*, application/pdf');
    try {
      const before = await fileCollections();
      // the client's claim is ignored: text bytes with an image content type
      const text = await upload(admin, room._id, 'plain words', 'words', {}, 'image/png');
      expect(text.status).to.equal(415);
      expect(await fileCollections()).to.deep.equal(before);
      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
      expect((await upload(admin, room._id, png, 'dot.png')).status).to.equal(200);
    } finally {
      await setSetting('files.allowedTypes', '');
    }
    await setSetting('files.blockedTypes', 'text/*');
    try {
      expect((await upload(admin, room._id, 'plain words', 'a.txt')).status).to.equal(415);
    } finally {
      await setSetting('files.blockedTypes', 'application/x-msdownload');
    }
  });

  it('lets only people who may read the room download (404 for others), and lists room and user files', async () => {
    const member = await registerUser(server.url);
    const outsider = await registerUser(server.url);
    const group = await createChannel(admin, { type: 'p', members: [member.username] });
    const { body } = await upload(member, group._id, 'secret plans', 'plans.txt');
    expect((await download(member, body.file.url, server.url)).status).to.equal(200);
    expect((await download(admin, body.file.url, server.url)).status).to.equal(200);
    const denied = await download(outsider, body.file.url, server.url);
    expect(denied.status).to.equal(404);
    expect(denied.bytes.toString()).not.to.contain('secret');
    expect((await download(outsider, `${body.file.url}?thumb=1`, server.url)).status).to.equal(404);
    expect((await download(outsider, '/file-upload/nosuchfile123/x.txt', server.url)).status).to.equal(404);

    const list = await member.api.get('groups.files', { roomId: group._id });
    expect(list.status).to.equal(200);
    expect(list.body.files.map((f: { _id: string }) => f._id)).to.deep.equal([body.file._id]);
    expect((await member.api.get('rooms.files', { roomId: group._id })).body.total).to.equal(1);
    expect((await outsider.api.get('groups.files', { roomId: group._id })).status).to.equal(404);
    expect((await member.api.get('channels.files', { roomId: group._id })).status).to.equal(404);
    const mine = await member.api.get('users.files');
    expect(mine.body.files.map((f: { _id: string }) => f._id)).to.deep.equal([body.file._id]);
    expect((await outsider.api.get('users.files')).body.files).to.deep.equal([]);
    // outsiders cannot upload either
    expect((await upload(outsider, group._id, 'x', 'x.txt')).status).to.equal(404);
  });

  it('posts into a thread with a caption', async () => {
    const room = await createChannel(admin);
    const parent = (await admin.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'parent' } })).body.message;
    const res = await upload(admin, room._id, 'reply file', 'r.txt', { msg: 'see attached', tmid: parent._id });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.message.tmid).to.equal(parent._id);
    const bad = await upload(admin, room._id, 'x', 'x.txt', { tmid: 'nosuchmessage' });
    expect(bad.status).to.equal(404);
    expect((await admin.api.get('rooms.files', { roomId: room._id })).body.total).to.equal(1);
  });

  it('deletes the file with its message, and all files with their room', async () => {
    const room = await createChannel(admin);
    const png = await sharp({ create: { width: 500, height: 500, channels: 3, background: '#0a0' } }).png().toBuffer();
    const { body } = await upload(admin, room._id, png, 'green.png');
    const id = body.file._id;
    expect(await fileCollections()).to.include.members([`file_${id}`, `file_${id}_t`]);
    const del = await admin.api.post('chat.delete', { roomId: room._id, msgId: body.message._id });
    expect(del.status).to.equal(200);
    expect((await download(admin, body.file.url, server.url)).status).to.equal(404);
    const names = await fileCollections();
    expect(names).not.to.include(`file_${id}`);
    expect(names).not.to.include(`file_${id}_t`);
    expect(await fileDocs(room._id)).to.equal(0);

    const room2 = await createChannel(admin);
    const a = (await upload(admin, room2._id, 'one', 'one.txt')).body.file;
    const b = (await upload(admin, room2._id, 'two', 'two.txt')).body.file;
    expect((await admin.api.post('channels.delete', { roomId: room2._id })).status).to.equal(200);
    const left = await fileCollections();
    for (const n of [`file_${a._id}`, `file_${b._id}`, `rfiles_${room2._id}`]) expect(left).not.to.include(n);
    expect((await admin.api.get('users.files')).body.files.map((f: { _id: string }) => f._id)).not.to.include.members([a._id, b._id]);
  });

  it('stores files in a directory when files.storage is disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obmeet-files-'));
    await setSetting('files.diskPath', dir);
    await setSetting('files.storage', 'disk');
    try {
      const room = await createChannel(admin);
      const bytes = randomBytes(600 * 1024);
      const before = await fileCollections();
      const { status, body } = await upload(admin, room._id, bytes, 'disk.bin');
      expect(status, JSON.stringify(body)).to.equal(200);
      const path = join(dir, body.file._id.slice(0, 2), body.file._id);
      expect(existsSync(path)).to.equal(true);
      expect((await fileCollections()).filter((n) => n.startsWith('file_'))).to.deep.equal(before.filter((n) => n.startsWith('file_')));
      const got = await download(admin, body.file.url, server.url);
      expect(got.bytes.equals(bytes)).to.equal(true);

      // over the limit: the partial file is removed
      await setSetting('files.maxSizeBytes', 100 * 1024);
      expect((await upload(admin, room._id, randomBytes(400 * 1024), 'big.bin')).status).to.equal(413);
      await setSetting('files.maxSizeBytes', 100 * 1024 * 1024);
      const entries = readdirSync(dir, { recursive: true }).map(String);
      expect(entries.filter((p) => p.endsWith('.part'))).to.deep.equal([]);
      expect(entries.filter((p) => p.includes(body.file._id.slice(2)))).to.have.length(1);

      await admin.api.post('chat.delete', { roomId: room._id, msgId: body.message._id });
      expect(existsSync(path)).to.equal(false);
      expect((await download(admin, body.file.url, server.url)).status).to.equal(404);
    } finally {
      await setSetting('files.storage', 'database');
      await setSetting('files.maxSizeBytes', 100 * 1024 * 1024);
    }
  });

  it('rejects a body that is not multipart or has no file part, writing nothing', async () => {
    const room = await createChannel(admin);
    const before = await fileCollections();
    const json = await admin.api.post(`rooms.upload/${room._id}`, { msg: 'x' });
    expect(json.status).to.equal(400);
    const form = new FormData();
    form.append('msg', 'no file');
    const res = await fetch(`${server.url}/api/v1/rooms.upload/${room._id}`, { method: 'POST', headers: { 'x-user-id': admin._id, 'x-auth-token': admin.token }, body: form });
    expect(res.status).to.equal(400);
    expect(await fileCollections()).to.deep.equal(before);
  });
});
