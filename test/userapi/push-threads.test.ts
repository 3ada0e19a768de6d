/**
 * Threads in the push and receipt consumers' handlers over real storage (both engines): which
 * thread each notification is counted in (an `m.thread` relation names its root; another
 * relation takes its parent's thread, remembered or stored; no relation, a thread root or an
 * unknown parent is the main timeline), and the three kinds of receipt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { handleReceiptOutput, type ReceiptConsumerDeps } from '../../src/userapi/consumers/clientapi.js';
import { createEventPositions } from '../../src/userapi/consumers/event-positions.js';
import type { PushRoomCache, PushRoomState } from '../../src/userapi/consumers/push-room-cache.js';
import { createPushRulesCache } from '../../src/userapi/consumers/push-rules-cache.js';
import { handlePushOutput, type PushConsumerDeps } from '../../src/userapi/consumers/roomserver-push.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { openUserapiTestKit, TEST_SERVER_NAME, type UserapiTestKit } from './userapi-test-kit.js';

const HS = TEST_SERVER_NAME;
const ROOM = '!threads:' + HS;
const ALICE = `@alice:${HS}`;
const BOB = `@bob:${HS}`;

describeEachBackend('userapi push consumers: threads', (ctx) => {
  describe('handlers', () => suite(ctx));
});

function roomState(): PushRoomState {
  return {
    position: 0,
    roomVersion: '11',
    joined: new Map<string, string | null>([
      [ALICE, 'Alice'],
      [BOB, 'Bob'],
    ]),
    powerLevels: undefined,
    create: undefined,
    name: undefined,
    canonicalAlias: undefined,
  };
}

let position = 0;
function message(sender: string, eventId: string, relatesTo?: JsonObject): Extract<OutputRoomEventMessage, { type: 'new_room_event' }> {
  const streamPosition = ++position;
  const content: JsonObject = { msgtype: 'm.text', body: eventId, ...(relatesTo ? { 'm.relates_to': relatesTo } : {}) };
  return {
    type: 'new_room_event',
    roomId: ROOM,
    roomVersion: '11',
    eventId,
    event: { type: 'm.room.message', sender, room_id: ROOM, origin_server_ts: 1000 + streamPosition, content },
    addsStateEventIds: [],
    removesStateEventIds: [],
    latestEventIds: [eventId],
    streamPosition,
    transaction: null,
  };
}
const inThread = (root: string): JsonObject => ({ rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } });
const reference = (eventId: string): JsonObject => ({ rel_type: 'm.reference', event_id: eventId });

function suite(ctx: BackendContext): void {
  let kit: UserapiTestKit;
  let deps: PushConsumerDeps;
  let receiptDeps: ReceiptConsumerDeps;
  before(async () => {
    kit = await openUserapiTestKit(await ctx.open());
    const state = roomState();
    const rooms: PushRoomCache = { stateAfter: async () => state };
    const positions = createEventPositions();
    const flushOutbox = () => kit.outbox.flush();
    deps = { storage: kit.storage, serverName: HS, rules: createPushRulesCache(kit.storage), rooms, positions, flushOutbox, now: () => 5000 };
    receiptDeps = { storage: kit.storage, serverName: HS, positions, flushOutbox, roomserver: { queryEvents: async () => ({ events: [] }) } };
  });
  after(() => kit.close());

  const push = (msg: Extract<OutputRoomEventMessage, { type: 'new_room_event' }>, d: PushConsumerDeps = deps) => handlePushOutput(d, msg);
  const threadOf = (eventId: string) => kit.storage.notifications.getEventThread(eventId);
  const counts = () => kit.storage.notifications.getRoomCounts('bob', ROOM);
  const receipt = (eventId: string, threadId: string | null) =>
    handleReceiptOutput(receiptDeps, { type: 'receipt', roomId: ROOM, userId: BOB, eventId, receiptType: 'm.read', threadId, ts: 1 });

  it('an m.thread relation names the thread; the root and plain messages are on the main timeline', async () => {
    await push(message(ALICE, '$root'));
    await push(message(ALICE, '$t1', inThread('$root')));
    await push(message(ALICE, '$plain'));
    assert.deepEqual(await Promise.all(['$root', '$t1', '$plain'].map(threadOf)), ['main', '$root', 'main']);
  });

  it("another relation takes its parent's thread: remembered (even of an event that notified nobody) or stored", async () => {
    await push(message(ALICE, '$ref-t1', reference('$t1')));
    // bob's threaded message (notifying alice, not bob); a reference to it is in the thread.
    await push(message(BOB, '$bob-t', inThread('$root')));
    await push(message(ALICE, '$ref-bob', reference('$bob-t')));
    // An edit notifies nobody (`.m.rule.suppress_edits`): only memory knows its thread.
    await push(message(ALICE, '$edit', { rel_type: 'm.replace', event_id: '$t1' }));
    assert.equal(await threadOf('$edit'), undefined);
    assert.equal(deps.positions.threadOf('$edit'), '$root');
    await push(message(ALICE, '$ref-edit', reference('$edit')));
    // A chain: a reference to a reference in the thread.
    await push(message(ALICE, '$ref-ref', reference('$ref-t1')));
    // Related to the root (not a thread relation), or to an event nobody knows: main timeline.
    await push(message(ALICE, '$ref-root', reference('$root')));
    await push(message(ALICE, '$ref-unknown', reference('$unknown')));
    assert.deepEqual(await Promise.all(['$ref-t1', '$ref-bob', '$ref-edit', '$ref-ref', '$ref-root', '$ref-unknown'].map(threadOf)), [
      '$root',
      '$root',
      '$root',
      '$root',
      'main',
      'main',
    ]);
    // A process that never saw $t1 (restarted: empty memory) finds its thread in storage.
    const fresh = { ...deps, positions: createEventPositions() };
    await push(message(ALICE, '$ref-after-restart', reference('$t1')), fresh);
    assert.equal(await threadOf('$ref-after-restart'), '$root');
  });

  it("counts split by thread; a thread's receipt clears that thread only, up to its event", async () => {
    // Main: $root, $plain, $ref-root, $ref-unknown; thread: $t1, $ref-t1, $ref-bob, $ref-edit, $ref-ref, $ref-after-restart.
    assert.deepEqual(await counts(), {
      notificationCount: 10,
      highlightCount: 0,
      main: { notificationCount: 4, highlightCount: 0 },
      threads: { $root: { notificationCount: 6, highlightCount: 0 } },
    });
    // Up to bob's own $bob-t: $t1 and $ref-t1.
    await receipt('$bob-t', '$root');
    assert.deepEqual(await counts(), {
      notificationCount: 8,
      highlightCount: 0,
      main: { notificationCount: 4, highlightCount: 0 },
      threads: { $root: { notificationCount: 4, highlightCount: 0 } },
    });
  });

  it('a main receipt clears the main timeline only; an unthreaded one everything up to its event', async () => {
    await receipt('$ref-unknown', 'main');
    assert.deepEqual(await counts(), { notificationCount: 4, highlightCount: 0, main: { notificationCount: 0, highlightCount: 0 }, threads: { $root: { notificationCount: 4, highlightCount: 0 } } });
    // Up to $ref-ref: $ref-bob, $ref-edit and $ref-ref; $ref-after-restart, sent after it, stays.
    await receipt('$ref-ref', null);
    assert.deepEqual(await counts(), { notificationCount: 1, highlightCount: 0, main: { notificationCount: 0, highlightCount: 0 }, threads: { $root: { notificationCount: 1, highlightCount: 0 } } });
  });

  it("a thread receipt handled before its event's notification stores it read; the main timeline's next one is not", async () => {
    const later = message(ALICE, '$t-later', inThread('$root'));
    const main = message(ALICE, '$main-later');
    // The push consumer has remembered the event's position (it does so first) but not stored
    // its notifications yet when the receipt comes.
    deps.positions.remember(later.eventId, later.streamPosition, '$root');
    await receipt(later.eventId, '$root');
    assert.deepEqual(await counts(), { notificationCount: 0, highlightCount: 0 }, '$ref-after-restart read');
    await push(later);
    await push(main);
    assert.equal(await threadOf(later.eventId), '$root');
    assert.deepEqual(await counts(), { notificationCount: 1, highlightCount: 0 }, 'only $main-later unread: no thread in the split');
  });
}
