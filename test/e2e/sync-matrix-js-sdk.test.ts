/**
 * `/sync` end to end with a real client: matrix-js-sdk's sync loop (`startClient()`) against a
 * real monolith. The SDK builds its room model from our responses alone, so a shape it cannot
 * read, a missed wake-up or a wrong token shows here: a room's name from state, an invite, the
 * join, and a message arriving over the long-poll.
 */
import '../harness/matrix-sdk-polyfills.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientEvent, EventType, MsgType, RoomEvent, SyncState, type MatrixClient, type MatrixEvent, type Room } from 'matrix-js-sdk';
import { createSdkClient } from '../harness/matrix-sdk-client.js';
import { startTestMonolith, type TestMonolith } from '../harness/start-test-monolith.js';

/** Resolves when `check` holds, re-checked on every sync the client finishes. */
function until(client: MatrixClient, check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(ClientEvent.Sync, onSync);
      reject(new Error(`timed out waiting for ${what}`));
    }, 15_000);
    const onSync = () => {
      if (!check()) return;
      clearTimeout(timer);
      client.off(ClientEvent.Sync, onSync);
      resolve();
    };
    client.on(ClientEvent.Sync, onSync);
    onSync();
  });
}

/**
 * The SDK aborts each request after a local timeout (110 s for a long-poll) with a timer it never
 * clears, which would keep this process alive long after the suite: such timers are unref'd.
 */
const sdkSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const t = sdkSetTimeout(fn, ms, ...args);
  if ((ms ?? 0) >= 10_000 && new Error().stack?.includes('timeoutSignal')) t.unref();
  return t;
}) as typeof setTimeout;

describe('sync through matrix-js-sdk', () => {
  let hs: TestMonolith;
  let alice: MatrixClient;
  let bob: MatrixClient;

  before(async () => {
    hs = await startTestMonolith();
    const anon = createSdkClient(hs.baseUrl);
    const make = async (username: string): Promise<MatrixClient> => {
      const res = await anon.registerRequest({ username, password: `pw-${username}-long`, auth: { type: 'm.login.dummy' } });
      return createSdkClient(hs.baseUrl, { accessToken: res.access_token!, userId: res.user_id, deviceId: res.device_id! });
    };
    alice = await make('alice');
    bob = await make('bob');
    for (const c of [alice, bob]) {
      await c.startClient({ initialSyncLimit: 10 });
      await until(c, () => c.getSyncState() === SyncState.Syncing || c.getSyncState() === SyncState.Prepared, 'the first sync');
    }
  });
  after(async () => {
    alice?.stopClient();
    bob?.stopClient();
    await hs?.stop();
  });

  it('follows a room from creation through an invite and a join to a message', async () => {
    const { room_id: roomId } = await alice.createRoom({ name: 'Synced room' });
    await until(alice, () => alice.getRoom(roomId)?.name === 'Synced room', "alice's room with its name");
    assert.equal(alice.getRoom(roomId)!.getMyMembership(), 'join');

    await alice.invite(roomId, bob.getUserId()!);
    await until(bob, () => bob.getRoom(roomId)?.getMyMembership() === 'invite', "bob's invite");
    assert.equal(bob.getRoom(roomId)!.name, 'Synced room', 'the name from the stripped state');

    await bob.joinRoom(roomId);
    await until(bob, () => bob.getRoom(roomId)?.getMyMembership() === 'join', "bob's join");
    await until(alice, () => alice.getRoom(roomId)?.getJoinedMemberCount() === 2, 'alice seeing bob joined');

    const received = new Promise<MatrixEvent>((resolve) => {
      const onTimeline = (ev: MatrixEvent, room: Room | undefined) => {
        if (room?.roomId === roomId && ev.getType() === EventType.RoomMessage && ev.getSender() === alice.getUserId()) {
          bob.off(RoomEvent.Timeline, onTimeline);
          resolve(ev);
        }
      };
      bob.on(RoomEvent.Timeline, onTimeline);
    });
    const t0 = Date.now();
    const { event_id: eventId } = await alice.sendEvent(roomId, EventType.RoomMessage, { msgtype: MsgType.Text, body: 'over the long-poll' });
    const ev = await received;
    assert.ok(Date.now() - t0 < 5_000);
    assert.deepEqual([ev.getId(), ev.getContent().body], [eventId, 'over the long-poll']);
  });
});
