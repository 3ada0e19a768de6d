/**
 * Pushes survive a restart (both engines): the push pipeline is started on real storage and a
 * real embedded bus, with an in-process gateway. A push waiting for a retry when the pipeline
 * stops is sent by the next pipeline on the same database; at start, queued pushes older than a
 * day, or whose notification was read since, are deleted unsent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNetworkGuard } from '../../src/internal/net/network-guard.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { StoredRoomEvent, UserRoomserverAPI } from '../../src/roomserver/api.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import type { Pusher } from '../../src/userapi/api.js';
import { QUEUED_PUSH_MAX_AGE_MS, startPushPipeline, type PushPipeline } from '../../src/userapi/consumers/start-push-pipeline.js';
import type { PushGatewayClient, PushGatewayNotification } from '../../src/userapi/pushgateway/push-gateway-client.js';
import { PushGatewayError } from '../../src/userapi/pushgateway/push-gateway-error.js';
import type { NewNotification } from '../../src/userapi/storage/notification-storage.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { openUserapiTestKit, TEST_SERVER_NAME, type UserapiTestKit } from './userapi-test-kit.js';

const HS = TEST_SERVER_NAME;
const ROOM = `!restart:${HS}`;
const ALICE = `@alice:${HS}`;
const BOB = `@bob:${HS}`;
const GATEWAY_URL = 'https://gateway.example/_matrix/push/v1/notify';

describeEachBackend('userapi push queue across restarts', (ctx) => {
  describe('pipeline', () => suite(ctx));
});

/** A gateway recording each call; `failing` makes every call fail as retryable. */
function gateway(failing: boolean): PushGatewayClient & { calls: [string, PushGatewayNotification][] } {
  const calls: [string, PushGatewayNotification][] = [];
  return {
    calls,
    async notify(url, notification) {
      calls.push([url, notification]);
      if (failing) throw new PushGatewayError('status', 'gateway answered 503');
      return { rejected: [] };
    },
  };
}

function stateEvent(type: string, stateKey: string, sender: string, content: JsonObject): StoredRoomEvent {
  const event = { type, state_key: stateKey, sender, room_id: ROOM, origin_server_ts: 1, content };
  return { eventId: `$${type}-${stateKey}`, roomId: ROOM, roomVersion: '11', event, rejected: false, outlier: false };
}

/** The roomserver as the pipeline reads it: alice and bob joined, nothing else. */
const roomserver: Pick<UserRoomserverAPI, 'queryState' | 'queryEvents'> = {
  queryState: async () => ({
    found: true,
    events: [
      stateEvent('m.room.create', '', ALICE, { room_version: '11' }),
      stateEvent('m.room.member', ALICE, ALICE, { membership: 'join', displayname: 'Alice' }),
      stateEvent('m.room.member', BOB, BOB, { membership: 'join' }),
    ],
  }),
  queryEvents: async () => ({ events: [] }),
};

const bobPusher: Pusher = {
  pushkey: 'bob-phone',
  kind: 'http',
  appId: 'org.example.app',
  appDisplayName: 'App',
  deviceDisplayName: 'Phone',
  profileTag: null,
  lang: 'en',
  data: { url: GATEWAY_URL, format: 'event_id_only' },
  pushkeyTs: 1_700_000_000_000,
  deviceId: null,
};

async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function suite(ctx: BackendContext): void {
  let kit: UserapiTestKit;
  const started: PushPipeline[] = [];
  const start = async (gw: PushGatewayClient) => {
    const pipeline = await startPushPipeline({
      bus: kit.bus,
      outbox: kit.outbox,
      storage: kit.storage,
      roomserver,
      api: { performPusherSet: async () => ({}) },
      serverName: HS,
      guard: createNetworkGuard({ allowNetworks: [], denyNetworks: [] }),
      gateway: gw,
    });
    started.push(pipeline);
    return pipeline;
  };
  const queued = async () => (await kit.storage.notifications.getQueuedPushes(100)).map((q) => q.content.eventId);

  before(async () => {
    kit = await openUserapiTestKit(await ctx.open());
    await kit.storage.pushers.setPusher('bob', bobPusher, true);
  });
  after(async () => {
    for (const p of started) await p.stop();
    await kit.close();
  });

  it('sends after a restart the push that was waiting for a retry when the pipeline stopped', async () => {
    const down = gateway(true);
    const first = await start(down);
    const eventId = '$hello';
    const msg: OutputRoomEventMessage = {
      type: 'new_room_event',
      roomId: ROOM,
      roomVersion: '11',
      eventId,
      event: { type: 'm.room.message', sender: ALICE, room_id: ROOM, origin_server_ts: Date.now(), content: { msgtype: 'm.text', body: 'hello' } },
      addsStateEventIds: [],
      removesStateEventIds: [],
      latestEventIds: [eventId],
      streamPosition: 10,
      transaction: null,
    };
    await kit.bus.publish([{ topic: OUTPUT_ROOM_EVENT, key: ROOM, payload: msg }]);
    // The first attempt fails; the next one waits 10 s, and the pipeline stops meanwhile.
    await until('the failed attempt', () => down.calls.length === 1);
    await first.stop();
    assert.equal(down.calls.length, 1);
    assert.deepEqual(await queued(), [eventId]);

    const up = gateway(false);
    const second = await start(up);
    await second.sender.idle();
    assert.deepEqual(
      up.calls.map(([url, n]) => [url, n.event_id, n.room_id, n.counts, n.devices]),
      [
        [
          GATEWAY_URL,
          eventId,
          ROOM,
          { unread: 1 },
          [{ app_id: 'org.example.app', pushkey: 'bob-phone', pushkey_ts: 1_700_000_000, data: { format: 'event_id_only' }, tweaks: { sound: 'default' } }],
        ],
      ],
    );
    assert.deepEqual(await queued(), []);
    await second.stop();
    assert.equal(up.calls.length, 1);
  });

  it('deletes unsent at start the pushes older than a day and those read since; sends the rest', async () => {
    const now = Date.now();
    const note = (eventId: string, roomPosition: number, ts: number): NewNotification => ({
      localpart: 'bob',
      userId: BOB,
      roomId: ROOM,
      eventId,
      threadId: 'main',
      roomPosition,
      eventTs: ts,
      ts,
      highlight: false,
      actions: ['notify'],
      push: { event: { type: 'm.room.message', sender: ALICE, content: { body: eventId } }, senderDisplayName: 'Alice', roomName: undefined, roomAlias: undefined, tweaks: {} },
    });
    const n = kit.storage.notifications;
    await n.addNotifications([note('$stale', 20, now - QUEUED_PUSH_MAX_AGE_MS - 60_000)]);
    await n.addNotifications([note('$read', 21, now - 60_000)]);
    await n.markNotificationsRead('bob', ROOM, { roomPosition: 21 });
    await n.addNotifications([note('$fresh', 22, now - 30_000)]);
    assert.deepEqual(await queued(), ['$stale', '$read', '$fresh']);

    const gw = gateway(false);
    const pipeline = await start(gw);
    await pipeline.sender.idle();
    assert.deepEqual(gw.calls.map(([, c]) => c.event_id), ['$fresh']);
    assert.deepEqual(await queued(), []);
  });
}
