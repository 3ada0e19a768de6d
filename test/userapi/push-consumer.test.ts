/**
 * The push and receipt consumers' handlers over real storage (both engines): who is notified,
 * that a redelivered event stores and pushes nothing twice, that only users with a pusher get a
 * queued push, redactions (which drop queued pushes), and read receipts.
 * The room state comes from a fixed {@link PushRoomCache} (the roomserver is not under test here).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { handleReceiptOutput, type ReceiptConsumerDeps } from '../../src/userapi/consumers/clientapi.js';
import { createEventPositions } from '../../src/userapi/consumers/event-positions.js';
import type { PushContent } from '../../src/userapi/consumers/push-payload.js';
import type { PushRoomCache, PushRoomState } from '../../src/userapi/consumers/push-room-cache.js';
import { createPushRulesCache } from '../../src/userapi/consumers/push-rules-cache.js';
import type { PushSender } from '../../src/userapi/consumers/push-sender.js';
import { handlePushOutput, type PushConsumerDeps } from '../../src/userapi/consumers/roomserver-push.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { openUserapiTestKit, TEST_SERVER_NAME, type UserapiTestKit } from './userapi-test-kit.js';

const HS = TEST_SERVER_NAME;
const ROOM = '!room:' + HS;
const ALICE = `@alice:${HS}`;
const BOB = `@bob:${HS}`;
const DAN = `@dan:${HS}`;
const CAROL = '@carol:elsewhere.test';

describeEachBackend('userapi push consumers', (ctx) => {
  describe('handlers', () => suite(ctx));
});

function roomState(): PushRoomState {
  return {
    position: 0,
    roomVersion: '11',
    joined: new Map<string, string | null>([
      [ALICE, 'Alice'],
      [BOB, 'Bobby'],
      [CAROL, 'Carol'],
    ]),
    powerLevels: undefined,
    create: undefined,
    name: 'Chat',
    canonicalAlias: undefined,
  };
}

let seq = 0;
function newEvent(event: JsonObject, streamPosition: number, eventId = `$e${++seq}`): Extract<OutputRoomEventMessage, { type: 'new_room_event' }> {
  const isState = typeof event.state_key === 'string';
  return {
    type: 'new_room_event',
    roomId: ROOM,
    roomVersion: '11',
    eventId,
    event: { room_id: ROOM, origin_server_ts: 1000 + streamPosition, ...event },
    addsStateEventIds: isState ? [eventId] : [],
    removesStateEventIds: [],
    latestEventIds: [eventId],
    streamPosition,
    transaction: null,
  };
}

function suite(ctx: BackendContext): void {
  let kit: UserapiTestKit;
  let deps: PushConsumerDeps;
  let receiptDeps: ReceiptConsumerDeps;
  const pushed: PushContent[] = [];
  const pushedIds: number[] = [];
  const oldEvents = new Map<string, JsonObject>();
  before(async () => {
    kit = await openUserapiTestKit(await ctx.open());
    const state = roomState();
    const rooms: PushRoomCache = { stateAfter: async () => state };
    const sender: PushSender = {
      enqueue: (c) => {
        pushed.push(...c.map((p) => p.content));
        pushedIds.push(...c.map((p) => p.notificationId));
      },
      idle: async () => {},
      stop: async () => {},
    };
    // bob has a phone; dan (invited below) has none, so his notification queues no push.
    await kit.storage.pushers.setPusher(
      'bob',
      { pushkey: 'k', kind: 'http', appId: 'app', appDisplayName: 'App', deviceDisplayName: 'Phone', profileTag: null, lang: 'en', data: { url: 'https://gw/_matrix/push/v1/notify' }, pushkeyTs: 1, deviceId: null },
      true,
    );
    const positions = createEventPositions();
    const flushOutbox = () => kit.outbox.flush();
    deps = { storage: kit.storage, serverName: HS, rules: createPushRulesCache(kit.storage), rooms, positions, sender, flushOutbox, now: () => 5000 };
    receiptDeps = {
      storage: kit.storage,
      serverName: HS,
      positions,
      flushOutbox,
      roomserver: {
        queryEvents: async ({ eventIds }) => ({
          events: eventIds.flatMap((id) => {
            const event = oldEvents.get(id);
            return event ? [{ eventId: id, roomId: ROOM, roomVersion: '11', event, rejected: false, outlier: false }] : [];
          }),
        }),
      },
    };
  });
  after(() => kit.close());

  const page = (localpart: string) => kit.storage.notifications.getNotifications(localpart, { before: undefined, limit: 50, onlyHighlight: false });

  it("notifies local joined members but the sender, and a redelivery changes nothing", async () => {
    const msg = newEvent({ type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: 'hi' } }, 10);
    await handlePushOutput(deps, msg);
    await handlePushOutput(deps, msg);
    const rows = await page('bob');
    assert.deepEqual(rows.map((r) => [r.eventId, r.roomPosition, r.eventTs, r.ts, r.highlight, r.read]), [[msg.eventId, 10, 1010, 5000, false, false]]);
    assert.deepEqual(JSON.parse(rows[0]?.actions ?? 'null'), ['notify']);
    assert.deepEqual(await page('alice'), []);
    assert.equal(pushed.length, 1);
    assert.deepEqual(
      { ...pushed[0], event: undefined },
      { eventId: msg.eventId, roomId: ROOM, event: undefined, senderDisplayName: 'Alice', roomName: 'Chat', roomAlias: undefined, userId: BOB, tweaks: {}, unread: 1 },
    );
    // The push handed to the sender is the one queued durably, under the notification's ID.
    assert.deepEqual(pushedIds, [rows[0]?.id]);
    const queued = await kit.storage.notifications.getQueuedPushes(10);
    assert.deepEqual(queued.map((q) => [q.notificationId, q.pending, q.createdTs]), [[rows[0]?.id, true, 5000]]);
    assert.deepEqual(queued[0]?.content, JSON.parse(JSON.stringify(pushed[0])));
  });

  it('highlights a mention of bob, not a room mention by a sender without the power to make one', async () => {
    const room = newEvent({ type: 'm.room.message', sender: ALICE, content: { body: '@room', 'm.mentions': { room: true } } }, 11);
    await handlePushOutput(deps, room);
    const user = newEvent({ type: 'm.room.message', sender: ALICE, content: { body: 'Bobby!', 'm.mentions': { user_ids: [BOB] } } }, 12);
    await handlePushOutput(deps, user);
    assert.deepEqual((await page('bob')).map((r) => [r.eventId, r.highlight]).slice(0, 2), [
      [user.eventId, true],
      [room.eventId, false],
    ]);
    assert.deepEqual(await kit.storage.notifications.getRoomCounts('bob', ROOM), { notificationCount: 3, highlightCount: 1 });
    assert.deepEqual(pushed[2]?.tweaks, { sound: 'default', highlight: true });
    assert.equal(pushed[2]?.unread, 3);
  });

  it('notifies a local invitee, who is not joined yet', async () => {
    const msg = newEvent({ type: 'm.room.member', sender: ALICE, state_key: DAN, content: { membership: 'invite' } }, 13);
    await handlePushOutput(deps, msg);
    assert.deepEqual((await page('dan')).map((r) => r.eventId), [msg.eventId]);
    assert.equal(pushed.some((p) => p.userId === DAN), false);
    // bob's rules say a membership event does not notify him.
    assert.equal((await page('bob')).length, 3);
  });

  it("marks an invitee's notifications read when they reject the invite, and leaves others' alone", async () => {
    const before = await kit.storage.notifications.getRoomCounts('bob', ROOM);
    assert.equal(await kit.storage.notifications.getUnreadTotal('dan'), 1);
    const reject = newEvent({ type: 'm.room.member', sender: DAN, state_key: DAN, content: { membership: 'leave' } }, 14);
    await handlePushOutput(deps, reject);
    assert.deepEqual(await kit.storage.notifications.getRoomCounts('dan', ROOM), { notificationCount: 0, highlightCount: 0 });
    assert.equal(await kit.storage.notifications.getUnreadTotal('dan'), 0);
    assert.deepEqual((await page('dan')).map((r) => r.read), [true]);
    assert.deepEqual(await kit.storage.notifications.getRoomCounts('bob', ROOM), before);
  });

  it("marks bob's notifications read on his receipt, by the event's remembered position", async () => {
    // bob's own message notifies nobody but its position is remembered.
    const own = newEvent({ type: 'm.room.message', sender: BOB, content: { msgtype: 'm.text', body: 'me' } }, 15);
    await handlePushOutput(deps, own);
    await handleReceiptOutput(receiptDeps, { type: 'receipt', roomId: ROOM, userId: BOB, eventId: own.eventId, receiptType: 'm.read', threadId: null, ts: 9 });
    assert.deepEqual((await page('bob')).map((r) => r.read), [true, true, true]);
    assert.deepEqual(await kit.storage.notifications.getRoomCounts('bob', ROOM), { notificationCount: 0, highlightCount: 0 });
  });

  it('ignores thread receipts and other users, and falls back to the event timestamp for an unknown position', async () => {
    const later = newEvent({ type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: 'one' } }, 20);
    await handlePushOutput(deps, later);
    const receipt = { type: 'receipt', roomId: ROOM, userId: BOB, receiptType: 'm.read', ts: 9 } as const;
    await handleReceiptOutput(receiptDeps, { ...receipt, eventId: later.eventId, threadId: '$thread' });
    await handleReceiptOutput(receiptDeps, { ...receipt, userId: CAROL, eventId: later.eventId, threadId: null });
    assert.equal((await kit.storage.notifications.getRoomCounts('bob', ROOM)).notificationCount, 1);
    // An event this process never saw (older than its memory), at ts 1019: nothing at 1020 is read.
    oldEvents.set('$old', { type: 'm.room.message', sender: ALICE, room_id: ROOM, origin_server_ts: 1019, content: {} });
    await handleReceiptOutput(receiptDeps, { ...receipt, eventId: '$old', threadId: 'main' });
    assert.equal((await kit.storage.notifications.getRoomCounts('bob', ROOM)).notificationCount, 1);
    oldEvents.set('$old2', { type: 'm.room.message', sender: ALICE, room_id: ROOM, origin_server_ts: 1020, content: {} });
    await handleReceiptOutput(receiptDeps, { ...receipt, receiptType: 'm.read.private', eventId: '$old2', threadId: null });
    assert.equal((await kit.storage.notifications.getRoomCounts('bob', ROOM)).notificationCount, 0);
  });

  it("drops a redacted event's notifications", async () => {
    const msg = newEvent({ type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: 'oops' } }, 30);
    await handlePushOutput(deps, msg);
    assert.equal((await kit.storage.notifications.getRoomCounts('bob', ROOM)).notificationCount, 1);
    const id = (await page('bob')).find((r) => r.eventId === msg.eventId)?.id;
    assert.equal((await kit.storage.notifications.getQueuedPushes(100)).some((q) => q.notificationId === id), true);
    await handlePushOutput(deps, { type: 'redacted_event', roomId: ROOM, redactedEventId: msg.eventId, redactedBy: '$r', redactedEvent: {} });
    assert.equal((await kit.storage.notifications.getRoomCounts('bob', ROOM)).notificationCount, 0);
    assert.equal((await page('bob')).some((r) => r.eventId === msg.eventId), false);
    assert.equal((await kit.storage.notifications.getQueuedPushes(100)).some((q) => q.notificationId === id), false);
  });
}
