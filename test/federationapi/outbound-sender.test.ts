/**
 * `startFederationSender` end to end on both engines: a real embedded bus carrying the output
 * topics, the queues in the federationapi storage, and the fake peer over real HTTP. Checks the
 * wiring (every topic reaches the right servers), resuming persisted work at start, heardFrom,
 * and that nothing is sent after stop.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import pino from 'pino';
import { receiptSentMessage } from '../../src/clientapi/producers/output-receipt-event.js';
import { typingChangedMessage } from '../../src/clientapi/producers/output-typing-event.js';
import { startFederationSender, type FederationSender } from '../../src/federationapi/consumers/start-federation-sender.js';
import type { SenderRoomserverAPI } from '../../src/federationapi/consumers/sender-deps.js';
import { openFederationStorage, type FederationStorage } from '../../src/federationapi/storage/index.js';
import type { Bus } from '../../src/internal/bus/bus.js';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { presenceChangedMessage } from '../../src/userapi/producers/output-presence.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { startFakePeer, waitFor, type FakePeer } from './outbound-fake-peer.js';

const US = 'us.test';
const ROOM = '!room:us.test';
const ALICE = '@alice:us.test';
const JOINED: Record<string, string[]> = { [ROOM]: [US, 'a.test', 'b.test'], '!other:us.test': [US, 'b.test', 'c.test'] };

const roomserver: SenderRoomserverAPI = {
  queryJoinedServers: async ({ roomId }) => ({ serverNames: JOINED[roomId] ?? [] }),
  queryRoomsForUser: async ({ userId, membership }) => ({ roomIds: userId === ALICE && membership === 'join' ? Object.keys(JOINED) : [] }),
};

function roomEvent(n: number, sender = ALICE): { topic: typeof OUTPUT_ROOM_EVENT; key: string; payload: OutputRoomEventMessage } {
  const event = { event_id: `$e${n}`, room_id: ROOM, sender, type: 'm.room.message', content: { n }, unsigned: { transaction_id: 'x' } };
  return {
    topic: OUTPUT_ROOM_EVENT,
    key: ROOM,
    payload: { type: 'new_room_event', roomId: ROOM, roomVersion: '11', eventId: `$e${n}`, event, addsStateEventIds: [], removesStateEventIds: [], latestEventIds: [`$e${n}`], streamPosition: n, transaction: null },
  };
}

const edusTo = (peer: FakePeer, d: string) => peer.sentTo(d).flatMap((r) => r.body.edus as JsonObject[]);
const pdusTo = (peer: FakePeer, d: string) => peer.sentTo(d).flatMap((r) => r.body.pdus as JsonObject[]);

describeEachBackend('federationapi sender', (ctx) => {
  let peer: FakePeer;
  let bus: Bus;
  let storage: FederationStorage;
  let sender: FederationSender | undefined;
  const start = async () => {
    sender = await startFederationSender({ bus, storage, client: peer.client(), roomserver, serverName: US, logger: pino({ level: 'silent' }), backoff: { initialMs: 600_000 } });
    return sender;
  };

  beforeEach(async () => {
    peer = await startFakePeer();
    const database = await ctx.open();
    storage = await openFederationStorage(database);
    bus = await createEmbeddedBus({ database, pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await sender?.stop();
    sender = undefined;
    await bus.close();
    await peer.close();
  });

  it('resumes persisted work and sends every topic to the right servers', async () => {
    await storage.queuePdus(['c.test'], [{ event_id: '$left-over' }]);
    await start();
    await waitFor(() => pdusTo(peer, 'c.test').length === 1, 'resumed delivery');

    await bus.publish([roomEvent(1), roomEvent(2, '@bob:a.test')]);
    await bus.publish([typingChangedMessage({ roomId: ROOM, userId: ALICE, typing: true, timeoutMs: 30_000, ts: Date.now() })]);
    await bus.publish([receiptSentMessage({ roomId: ROOM, userId: ALICE, eventId: '$e1', receiptType: 'm.read', threadId: null, ts: 5 })]);
    await bus.publish([
      presenceChangedMessage({ userId: ALICE, presence: 'online', statusMsg: null, lastActiveTs: Date.now(), currentlyActive: true, streamPosition: 1 }),
    ]);
    await waitFor(() => edusTo(peer, 'a.test').length === 3 && edusTo(peer, 'b.test').length === 3 && edusTo(peer, 'c.test').length === 1, 'EDUs');
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'empty queues');

    const sentPdu = { event_id: '$e1', room_id: ROOM, sender: ALICE, type: 'm.room.message', content: { n: 1 } };
    assert.deepEqual(pdusTo(peer, 'a.test'), [sentPdu]);
    assert.deepEqual(pdusTo(peer, 'b.test'), [sentPdu]);
    assert.deepEqual(pdusTo(peer, 'c.test'), [{ event_id: '$left-over' }]);
    assert.deepEqual(peer.sentTo(US), []);
    // Separate topics, separate consumers: no order between them.
    assert.deepEqual(edusTo(peer, 'a.test').map((e) => e.edu_type).sort(), ['m.presence', 'm.receipt', 'm.typing']);
    assert.deepEqual(edusTo(peer, 'c.test').map((e) => e.edu_type), ['m.presence']);
    assert.deepEqual(
      edusTo(peer, 'b.test').find((e) => e.edu_type === 'm.receipt'),
      { edu_type: 'm.receipt', content: { [ROOM]: { 'm.read': { [ALICE]: { event_ids: ['$e1'], data: { ts: 5 } } } } } },
    );
  });

  it('retries a backed-off destination when heard from, and sends nothing after stop', async () => {
    peer.failNext('a.test', 500);
    const s = await start();
    await bus.publish([roomEvent(1)]);
    await waitFor(async () => (await storage.destinationHealth('a.test'))?.failureCount === 1, 'failure');
    await waitFor(() => pdusTo(peer, 'b.test').length === 1, 'b delivered');
    await s.heardFrom('a.test');
    await waitFor(() => peer.sentTo('a.test').length === 2, 'retry');
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'empty queues');

    await s.stop();
    sender = undefined;
    const count = peer.received.length;
    await bus.publish([roomEvent(2)]);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(peer.received.length, count);
  });
});
