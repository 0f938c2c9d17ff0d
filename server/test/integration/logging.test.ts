import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { connectSocket, nextEvent, registerUser } from '@obmeet/test-kit';
import { startTestServer } from '../helpers.js';

describe('logs', () => {
  it('are JSON and never contain passwords, tokens or message text, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    // the server's own logger, writing to memory
    const server = await startTestServer({}, undefined, createLogger('trace', sink));
    try {
      const user = await registerUser(server.url, { password: 'Secret-Password-123' });
      const socket = await connectSocket(server.url, user);
      const room = await user.api.post('channels.create', { name: `logs${Date.now()}` });
      const rid = room.body.channel._id;
      const text = 'canary-message-text-xyzzy';
      await user.api.post('chat.sendMessage', { message: { rid, msg: text } });
      const ack = await new Promise<any>((ok) => socket.emit('message.send', { message: { rid, msg: `${text}-socket` } }, ok));
      expect(ack.success).to.equal(true);
      await user.api.post('login', { user: user.username, password: 'wrong-Password-999' });
      await nextEvent(socket, 'message.created', 200).catch(() => undefined);
      socket.close();
      expect(lines.length).to.be.greaterThan(5);
      for (const line of lines) {
        expect(() => JSON.parse(line)).not.to.throw();
        expect(line).not.to.include('Secret-Password-123');
        expect(line).not.to.include('wrong-Password-999');
        expect(line).not.to.include(user.token);
        expect(line).not.to.include(text);
      }
    } finally {
      await server.close();
    }
  });
});

