import { expect } from 'chai';
import { loadConfig } from '../../src/config/config.js';
import { hasPermission, Permissions } from '../../src/domains/accounts/permissions.js';
import { RoomMessageCache } from '../../src/domains/messages/messages.cache.js';
import { changeSegmentOf, refShardOf, REF_SHARDS, SEGMENT_SIZE, segmentOf, type MessageDoc } from '../../src/domains/messages/messages.model.js';
import { isMainStream } from '../../src/domains/messages/messages.present.js';
import { newId, newSecret } from '../../src/ids.js';
import { parse } from '../../src/http/handler.js';
import { AppError } from '../../src/errors.js';
import { SendMessageBody } from '@obmeet/contracts';

function msg(seq: number, extra: Partial<MessageDoc> = {}): MessageDoc {
  const ts = new Date(0);
  return { _id: `m${seq}`, rid: 'r', seq, change: seq, msg: 'x', u: { _id: 'u', username: 'u' }, ts, updatedAt: ts, ...extra };
}

describe('unit: message storage math', () => {
  it('puts seq 1..SEGMENT_SIZE in segment 0 and the next one in segment 1', () => {
    expect(segmentOf(1)).to.equal(0);
    expect(segmentOf(SEGMENT_SIZE)).to.equal(0);
    expect(segmentOf(SEGMENT_SIZE + 1)).to.equal(1);
    expect(changeSegmentOf(1)).to.equal(0);
    expect(changeSegmentOf(1001)).to.equal(1);
  });

  it('hashes ids over all shards, stably', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(refShardOf(newId()));
    expect(seen.size).to.equal(REF_SHARDS);
    expect(refShardOf('abc')).to.equal(refShardOf('abc'));
  });

  it('counts only non-deleted messages outside hidden thread replies as the main stream', () => {
    expect(isMainStream(msg(1))).to.equal(true);
    expect(isMainStream(msg(2, { tmid: 'm1' }))).to.equal(false);
    expect(isMainStream(msg(3, { tmid: 'm1', tshow: true }))).to.equal(true);
    expect(isMainStream(msg(4, { deleted: true }))).to.equal(false);
  });
});

describe('unit: room message cache', () => {
  it('serves an entry only for the lastChange it was taken at', () => {
    const c = new RoomMessageCache(10, 5);
    c.fill('r', c.generation('r'), { lastChange: 3, messages: [msg(1), msg(2)], complete: true });
    expect(c.get('r', 3)?.messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    expect(c.get('r', 4)).to.equal(undefined);
  });

  it('refuses a fill that raced with a write, and keeps only the newest perRoom messages', () => {
    const c = new RoomMessageCache(10, 2);
    const g = c.generation('r');
    c.invalidate('r');
    c.fill('r', g, { lastChange: 1, messages: [msg(1)], complete: true });
    expect(c.get('r', 1)).to.equal(undefined);
    c.fill('r', c.generation('r'), { lastChange: 5, messages: [msg(1), msg(2), msg(3)], complete: true });
    expect(c.get('r', 5)?.messages.map((m) => m.seq)).to.deep.equal([2, 3]);
  });

  it('is bounded in rooms (least recently used goes first)', () => {
    const c = new RoomMessageCache(2, 5);
    for (const rid of ['a', 'b', 'c']) c.fill(rid, c.generation(rid), { lastChange: 1, messages: [], complete: true });
    expect(c.size).to.equal(2);
    expect(c.get('a', 1)).to.equal(undefined);
  });
});

describe('unit: permissions registry', () => {
  it('lets admins do everything and guests almost nothing', () => {
    for (const p of Object.keys(Permissions) as (keyof typeof Permissions)[]) expect(hasPermission(['admin'], p), p).to.equal(true);
    expect(hasPermission(['guest'], 'create-c')).to.equal(false);
    expect(hasPermission(['guest'], 'create-d')).to.equal(true);
    expect(hasPermission(['user'], 'manage-settings')).to.equal(false);
  });
});

describe('unit: configuration and input parsing', () => {
  it('applies defaults and rejects bad values with a clear message', () => {
    const c = loadConfig({});
    expect(c.port).to.equal(3000);
    expect(c.siteUrl).to.equal('http://localhost:3000');
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(/PORT/);
    expect(() => loadConfig({ MONGO_URL: 'postgres://x' })).to.throw(/MONGO_URL/);
  });

  it('turns schema failures into a 400 AppError naming the field', () => {
    try {
      parse(SendMessageBody, { message: { rid: { $gt: '' }, msg: 'x' } });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).status).to.equal(400);
      expect((err as AppError).message).to.include('message.rid');
    }
  });

  it('makes ids and secrets of the expected shape', () => {
    expect(newId()).to.match(/^[A-Za-z0-9]{17}$/);
    expect(newSecret()).to.match(/^[A-Za-z0-9_-]{43}$/);
  });
});
