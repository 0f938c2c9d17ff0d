import { expect } from 'chai';
import { PUSH_PAYLOAD_MAX_BYTES, PushBatchBody, type MessageDto } from '@obmeet/contracts';
import { pushPayload, truncateBytes } from '../../src/domains/push/push.content.js';
import { BoundedQueue } from '../../src/domains/push/push.queue.js';
import type { RoomDoc } from '../../src/domains/rooms/index.js';

const now = new Date(0);
function room(t: RoomDoc['t'], name?: string): RoomDoc {
  return {
    _id: 'R1', t, ...(name ? { name, fname: name } : {}), nameKey: name ?? 'd:a:b', ro: false, archived: false,
    u: { _id: 'a', username: 'alice' }, usersCount: 2, msgs: 1, lastSeq: 1, lastChange: 1, createdAt: now, updatedAt: now,
  };
}
function message(msg: string, extra: Partial<MessageDto> = {}): MessageDto {
  return { _id: 'M1', rid: 'R1', seq: 1, msg, u: { _id: 'a', username: 'alice' }, ts: now.toISOString(), _updatedAt: now.toISOString(), change: 1, ...extra };
}

describe('unit: push content per admin mode', () => {
  it('id mode carries the two ids and nothing else', () => {
    const p = pushPayload('id', message('secret words'), room('c', 'plans'));
    expect(p).to.deep.equal({ data: { messageId: 'M1', rid: 'R1' }, options: { priority: 'high' } });
  });

  it('sender mode names the sender and room, never the text', () => {
    expect(pushPayload('sender', message('secret words'), room('c', 'plans')).notification).to.deep.equal({ title: '#plans', body: 'New message from alice' });
    expect(pushPayload('sender', message('secret words'), room('d')).notification).to.deep.equal({ title: 'alice', body: 'New message' });
  });

  it('full mode carries the text; a file-only message says so', () => {
    expect(pushPayload('full', message('hello'), room('c', 'plans')).notification).to.deep.equal({ title: '#plans', body: 'alice: hello' });
    expect(pushPayload('full', message('hello'), room('d')).notification).to.deep.equal({ title: 'alice', body: 'hello' });
    const file = message('', { file: { _id: 'F', name: 'report.pdf', type: 'application/pdf', size: 3 } });
    expect(pushPayload('full', file, room('d')).notification!.body).to.equal('sent a file: report.pdf');
  });

  it('a long multi-byte text is cut to fit FCM’s payload limit, on a character boundary, and passes the gateway’s schema', () => {
    const long = '🎉é'.repeat(5000);
    const p = pushPayload('full', message(long), room('c', 'x'.repeat(64)));
    const body = { ...p, tokens: ['tok_aaaaaaaaaaaaaaaaaaaa'] };
    expect(PushBatchBody.safeParse(body).success).to.equal(true);
    expect(Buffer.byteLength(JSON.stringify({ n: p.notification, d: p.data }), 'utf8')).to.be.at.most(PUSH_PAYLOAD_MAX_BYTES);
    expect(p.notification!.body!.endsWith('…')).to.equal(true);
    expect(p.notification!.body).to.not.include('\uFFFD');
  });

  it('truncateBytes keeps short strings and never splits a character', () => {
    expect(truncateBytes('abc', 10)).to.equal('abc');
    const cut = truncateBytes('ééééé', 7);
    expect(Buffer.byteLength(cut, 'utf8')).to.be.at.most(7);
    expect(cut).to.equal('éé…');
  });
});

describe('unit: the push queue', () => {
  it('works items one at a time, refuses items beyond its bound, and reports idle when done', async () => {
    const releases: (() => void)[] = [];
    const done: number[] = [];
    const errors: number[] = [];
    const q = new BoundedQueue<number>(2, (n) => new Promise<void>((resolve, reject) => {
      releases.push(() => (n === 2 ? reject(new Error('boom')) : (done.push(n), resolve())));
    }), (_err, n) => errors.push(n));
    expect(q.push(1)).to.equal(true); // taken by the worker at once
    expect(q.push(2)).to.equal(true);
    expect(q.push(3)).to.equal(true);
    expect(q.push(4)).to.equal(false); // two wait already
    let idle = false;
    const idlePromise = q.idle().then(() => (idle = true));
    while (done.length + errors.length < 3) {
      await new Promise((r) => setImmediate(r));
      const next = releases.shift();
      if (next) next();
    }
    await idlePromise;
    expect(idle).to.equal(true);
    expect(done).to.deep.equal([1, 3]);
    expect(errors).to.deep.equal([2]);
    expect(q.size).to.equal(0);
  });
});
