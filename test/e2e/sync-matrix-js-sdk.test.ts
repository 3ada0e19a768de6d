/**
 * `/sync` end to end with a real client: matrix-js-sdk's sync loop (`startClient()`) against a
 * real monolith. The SDK builds its room model from our responses alone, so a shape it cannot
 * read, a missed wake-up or a wrong token shows here: a room's name from state, an invite, the
 * join, and a message arriving over the long-poll; typing notifications starting and stopping; a
 * read receipt; a display name change reaching the other member (via the profile's member events);
 * and paging back through 500 messages, each seen exactly once and in order.
 */
import '../harness/matrix-sdk-polyfills.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ClientEvent,
  Direction,
  EventType,
  MsgType,
  ReceiptType,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
  type ICreateClientOpts,
  type MatrixClient,
  type MatrixEvent,
  type Room,
  type RoomMember,
} from 'matrix-js-sdk';
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
  /** Alice's credentials, for extra clients of her device (a sender without a sync loop, a late pager). */
  let aliceAuth: Pick<ICreateClientOpts, 'accessToken' | 'userId' | 'deviceId'>;
  /** Clients a test started besides alice and bob, stopped after the suite. */
  const extraClients: MatrixClient[] = [];

  const startSyncing = async (c: MatrixClient): Promise<void> => {
    await c.startClient({ initialSyncLimit: 10 });
    await until(c, () => c.getSyncState() === SyncState.Syncing || c.getSyncState() === SyncState.Prepared, 'the first sync');
  };

  before(async () => {
    hs = await startTestMonolith();
    const anon = createSdkClient(hs.baseUrl);
    const make = async (username: string): Promise<MatrixClient> => {
      const res = await anon.registerRequest({ username, password: `pw-${username}-long`, auth: { type: 'm.login.dummy' } });
      if (username === 'alice') aliceAuth = { accessToken: res.access_token!, userId: res.user_id, deviceId: res.device_id! };
      return createSdkClient(hs.baseUrl, { accessToken: res.access_token!, userId: res.user_id, deviceId: res.device_id! });
    };
    alice = await make('alice');
    bob = await make('bob');
    for (const c of [alice, bob]) await startSyncing(c);
  });
  after(async () => {
    for (const c of [alice, bob, ...extraClients]) c?.stopClient();
    await hs?.stop();
  });

  /** A new room alice created and bob joined, once both clients show both members joined. */
  const sharedRoom = async (name: string): Promise<string> => {
    const { room_id: roomId } = await alice.createRoom({ name });
    await alice.invite(roomId, bob.getUserId()!);
    await bob.joinRoom(roomId);
    for (const c of [alice, bob]) await until(c, () => c.getRoom(roomId)?.getJoinedMemberCount() === 2, `${name}: both members joined`);
    return roomId;
  };

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

  it('shows alice typing to bob, then stopping', async () => {
    const roomId = await sharedRoom('Typing room');
    const aliceId = alice.getUserId()!;
    const seen: boolean[] = [];
    const onTyping = (_ev: MatrixEvent, member: RoomMember) => {
      if (member.roomId === roomId && member.userId === aliceId) seen.push(member.typing);
    };
    bob.on(RoomMemberEvent.Typing, onTyping);
    try {
      await alice.sendTyping(roomId, true, 30_000);
      await until(bob, () => bob.getRoom(roomId)?.getMember(aliceId)?.typing === true, 'bob seeing alice typing');
      await alice.sendTyping(roomId, false, 0);
      await until(bob, () => bob.getRoom(roomId)?.getMember(aliceId)?.typing === false, 'bob seeing alice stop typing');
    } finally {
      bob.off(RoomMemberEvent.Typing, onTyping);
    }
    assert.deepEqual(seen, [true, false]);
    assert.equal(bob.getRoom(roomId)!.getMember(bob.getUserId()!)!.typing, false);
  });

  it("shows alice bob's read receipt for her message", async () => {
    const roomId = await sharedRoom('Receipt room');
    const bobId = bob.getUserId()!;
    const { event_id: eventId } = await alice.sendEvent(roomId, EventType.RoomMessage, { msgtype: MsgType.Text, body: 'read me' });
    await until(bob, () => bob.getRoom(roomId)?.findEventById(eventId) !== undefined, 'bob receiving the message');
    await bob.sendReadReceipt(bob.getRoom(roomId)!.findEventById(eventId)!, ReceiptType.Read);
    // Ignoring synthesized receipts: only one that came back from the server counts.
    await until(alice, () => alice.getRoom(roomId)?.getReadReceiptForUserId(bobId, true)?.eventId === eventId, "alice seeing bob's receipt");
    const room = alice.getRoom(roomId)!;
    assert.equal(room.getEventReadUpTo(bobId, true), eventId);
    assert.ok(room.getUsersReadUpTo(room.findEventById(eventId)!).includes(bobId));
  });

  it("shows bob alice's new display name without a restart", async () => {
    const roomId = await sharedRoom('Name room');
    const aliceId = alice.getUserId()!;
    assert.equal(bob.getRoom(roomId)!.getMember(aliceId)!.name, 'alice');
    await alice.setDisplayName('Alice Liddell');
    await until(bob, () => bob.getRoom(roomId)?.getMember(aliceId)?.name === 'Alice Liddell', "bob seeing alice's new name");
    await until(alice, () => alice.getRoom(roomId)?.getMember(aliceId)?.name === 'Alice Liddell', 'alice seeing her own new name');
    const member = bob.getRoom(roomId)!.currentState.getStateEvents(EventType.RoomMember, aliceId)!;
    assert.deepEqual(member.getContent(), { membership: 'join', displayname: 'Alice Liddell' });
  });

  it('pages back through 500 messages, each seen once and in order', async () => {
    const COUNT = 500;
    const { room_id: roomId } = await alice.createRoom({ name: 'Long room' });
    // A sender without a sync loop: no local echo or room model to keep up with 500 sends.
    const sender = createSdkClient(hs.baseUrl, aliceAuth);
    const bodies = Array.from({ length: COUNT }, (_, i) => `message ${i}`);
    const sentIds: string[] = [];
    for (const body of bodies) sentIds.push((await sender.sendEvent(roomId, EventType.RoomMessage, { msgtype: MsgType.Text, body })).event_id);

    // Raw pages: from the room's end backwards, each `from` the previous `end`, until no `end`.
    const raw: string[] = [];
    let from: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res = await sender.createMessagesRequest(roomId, from, 50, Direction.Backward);
      for (const ev of res.chunk) if (ev.type === EventType.RoomMessage) raw.push(ev.event_id);
      if (res.end === undefined) break;
      from = res.end;
    }
    assert.deepEqual(raw.reverse(), sentIds);

    // The SDK's own paging: a fresh client syncs (10 events) and scrolls back to the room's start.
    const pager = createSdkClient(hs.baseUrl, aliceAuth);
    extraClients.push(pager);
    await startSyncing(pager);
    await until(pager, () => pager.getRoom(roomId) !== null, 'the pager seeing the room');
    const room = pager.getRoom(roomId)!;
    for (let page = 0; page < 100 && room.oldState.paginationToken !== null; page++) await pager.scrollback(room, 50);
    assert.equal(room.oldState.paginationToken, null, 'scrollback reached the start of the room');
    const timeline = room.getLiveTimeline().getEvents();
    assert.equal(timeline[0]!.getType(), EventType.RoomCreate);
    const messages = timeline.filter((e) => e.getType() === EventType.RoomMessage);
    assert.deepEqual(messages.map((e) => e.getId()), sentIds);
    assert.deepEqual(messages.map((e) => e.getContent().body), bodies);
  });
});
