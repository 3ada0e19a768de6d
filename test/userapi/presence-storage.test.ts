/** The userapi's presence storage, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeliveredMessage, Subscription } from '../../src/internal/bus/bus.js';
import { OutputPresenceEvent, type OutputPresenceMessage } from '../../src/userapi/producers/output-presence.js';
import type { UserStorage } from '../../src/userapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { openUserapiTestKit, type UserapiTestKit } from './userapi-test-kit.js';

const T0 = 1_700_000_000_000;

describeEachBackend('userapi presence storage', (ctx) => {
  // Nested, so this suite's `after` (stopping the bus) runs before the harness closes the database.
  describe('userapi_presence', () => suite(ctx));
});

function suite(ctx: BackendContext): void {
  let kit: UserapiTestKit;
  let s: UserStorage;
  let sub: Subscription;
  const delivered: OutputPresenceMessage[] = [];
  before(async () => {
    kit = await openUserapiTestKit(await ctx.open());
    s = kit.storage;
    sub = await kit.bus.subscribe<OutputPresenceMessage>({
      topic: OutputPresenceEvent,
      consumer: 'presence-storage-test',
      handler: async (m: DeliveredMessage<OutputPresenceMessage>) => void delivered.push(m.payload),
    });
  });
  after(async () => {
    await sub.stop();
    await kit.close();
  });

  const waitFor = async (n: number) => {
    const deadline = Date.now() + 5000;
    while (delivered.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} OutputPresenceEvent messages, got ${delivered.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('starts empty', async () => {
    assert.equal(await s.getPresencePosition(), 0);
    assert.deepEqual(await s.getPresence(['ann', 'bo']), []);
  });

  it('writes presence with server-wide positions and keeps the last-active time unless given', async () => {
    const ann1 = await s.putPresence({ localpart: 'ann', userId: '@ann:t', presence: 'online', statusMsg: 'hi', lastActiveTs: T0 });
    assert.deepEqual(ann1, { localpart: 'ann', presence: 'online', statusMsg: 'hi', lastActiveTs: T0, streamPosition: 1 });
    const bo = await s.putPresence({ localpart: 'bo', userId: '@bo:t', presence: 'unavailable', statusMsg: null, lastActiveTs: null });
    assert.deepEqual(bo, { localpart: 'bo', presence: 'unavailable', statusMsg: null, lastActiveTs: null, streamPosition: 2 });
    const ann2 = await s.putPresence({ localpart: 'ann', userId: '@ann:t', presence: 'unavailable', statusMsg: null, lastActiveTs: null });
    assert.deepEqual(ann2, { localpart: 'ann', presence: 'unavailable', statusMsg: null, lastActiveTs: T0, streamPosition: 3 });
    assert.equal(await s.getPresencePosition(), 3);

    const read = await s.getPresence(['bo', 'ann', 'nobody', 'ann']);
    assert.deepEqual(
      read.sort((a, b) => a.localpart.localeCompare(b.localpart)),
      [ann2, bo],
    );

    await waitFor(3);
    assert.deepEqual(delivered, [
      { type: 'presence', userId: '@ann:t', presence: 'online', statusMsg: 'hi', lastActiveTs: T0, currentlyActive: true, streamPosition: 1 },
      { type: 'presence', userId: '@bo:t', presence: 'unavailable', statusMsg: null, lastActiveTs: null, currentlyActive: false, streamPosition: 2 },
      { type: 'presence', userId: '@ann:t', presence: 'unavailable', statusMsg: null, lastActiveTs: T0, currentlyActive: false, streamPosition: 3 },
    ]);
  });

  it('numbers concurrent writes without gaps or repeats', async () => {
    const before = await s.getPresencePosition();
    const writes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.putPresence({ localpart: `c${i}`, userId: `@c${i}:t`, presence: 'online', statusMsg: null, lastActiveTs: T0 + i })),
    );
    const positions = writes.map((w) => w.streamPosition).sort((a, b) => a - b);
    assert.deepEqual(positions, Array.from({ length: 10 }, (_, i) => before + 1 + i));
    assert.equal((await s.getPresence(writes.map((w) => w.localpart))).length, 10);
  });
}
