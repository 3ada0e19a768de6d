/**
 * `unread_thread_notifications` end to end, against a real monolith: bob's messages on the main
 * timeline and in a thread notify alice (the default push rules; mentions highlight), the
 * userapi counts them per thread and the syncapi serves, with the timeline filter's
 * `unread_thread_notifications: true`, the main timeline's counts in `unread_notifications` and
 * the thread's under its root; without it, the room's totals. A receipt with the thread's ID
 * clears that thread only, a `main` one the main timeline only, an unthreaded one both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, startClientTestServer, type ClientTestServer, type TestUser, userCalls } from '../clientapi/client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;
const THREADED = JSON.stringify({ room: { timeline: { unread_thread_notifications: true } } });

interface RoomCounts {
  unread_notifications?: unknown;
  unread_thread_notifications?: unknown;
}

describe('syncapi: unread_thread_notifications', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: string;
  let root: string;
  let mention: string;
  let inThread: string;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, shared_secret: SHARED_SECRET } });
    [alice, bob] = [await s.register('alice'), await s.register('bob')];
    roomId = await create(alice, { preset: 'private_chat', invite: [bob.userId] });
    ok(await post(bob, `/join/${enc(roomId)}`));
  });
  after(() => s.stop());

  const { ok, post, put, create } = userCalls(() => s);
  let txn = 0;
  const send = async (content: Record<string, unknown>) => String(ok(await put(bob, `/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, content)).event_id);
  const threadReply = (body: string, extra: Record<string, unknown> = {}) =>
    send({ msgtype: 'm.text', body, ...extra, 'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } } });
  /** Alice's counts in the room from an initial sync, with or without the thread filter. */
  const countsOf = async (threaded: boolean): Promise<RoomCounts> => {
    const qs = new URLSearchParams({ set_presence: 'offline', ...(threaded ? { filter: THREADED } : {}) });
    const body = ok(await s.call('GET', `${V3}/sync?${qs}`, { token: alice.accessToken })) as { rooms: { join: Record<string, RoomCounts> } };
    const room = body.rooms.join[roomId];
    return { unread_notifications: room?.unread_notifications, unread_thread_notifications: room?.unread_thread_notifications };
  };
  /** Both views once the consumers have caught up with `threaded` (the thread filter's view). */
  const settled = async (threaded: RoomCounts): Promise<{ threaded: RoomCounts; plain: RoomCounts }> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const got = await countsOf(true);
      if (JSON.stringify(got) === JSON.stringify(threaded)) return { threaded: got, plain: await countsOf(false) };
      if (Date.now() > deadline) assert.fail(`never reached ${JSON.stringify(threaded)}; last: ${JSON.stringify(got)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const receipt = async (eventId: string, threadId?: string) =>
    ok(await post(alice, `/rooms/${enc(roomId)}/receipt/m.read/${enc(eventId)}`, threadId === undefined ? {} : { thread_id: threadId }));
  const n = (notification_count: number, highlight_count: number) => ({ notification_count, highlight_count });

  it('with the filter: the main timeline in unread_notifications, the thread under its root; without: the totals', async () => {
    root = await send({ msgtype: 'm.text', body: 'a root' });
    mention = await send({ msgtype: 'm.text', body: 'alice, look', 'm.mentions': { user_ids: [alice.userId] } });
    await threadReply('in the thread');
    inThread = await threadReply('alice, in the thread', { 'm.mentions': { user_ids: [alice.userId] } });
    const { threaded, plain } = await settled({ unread_notifications: n(2, 1), unread_thread_notifications: { [root]: n(2, 1) } });
    assert.deepEqual(threaded, { unread_notifications: n(2, 1), unread_thread_notifications: { [root]: n(2, 1) } });
    assert.deepEqual(plain, { unread_notifications: n(4, 2), unread_thread_notifications: undefined });
  });

  it("a receipt in the thread clears the thread's notifications only", async () => {
    await receipt(inThread, root);
    const { threaded, plain } = await settled({ unread_notifications: n(2, 1), unread_thread_notifications: undefined });
    assert.deepEqual(threaded, { unread_notifications: n(2, 1), unread_thread_notifications: undefined });
    assert.deepEqual(plain, { unread_notifications: n(2, 1), unread_thread_notifications: undefined });
  });

  it("a main receipt clears the main timeline's only", async () => {
    await threadReply('more in the thread');
    await settled({ unread_notifications: n(2, 1), unread_thread_notifications: { [root]: n(1, 0) } });
    await receipt(mention, 'main');
    const { threaded, plain } = await settled({ unread_notifications: n(0, 0), unread_thread_notifications: { [root]: n(1, 0) } });
    assert.deepEqual(threaded, { unread_notifications: n(0, 0), unread_thread_notifications: { [root]: n(1, 0) } });
    assert.deepEqual(plain, { unread_notifications: n(1, 0), unread_thread_notifications: undefined });
  });

  it('an unthreaded receipt clears both', async () => {
    const latest = await send({ msgtype: 'm.text', body: 'back on the main timeline' });
    await settled({ unread_notifications: n(1, 0), unread_thread_notifications: { [root]: n(1, 0) } });
    await receipt(latest);
    const { threaded, plain } = await settled({ unread_notifications: n(0, 0), unread_thread_notifications: undefined });
    assert.deepEqual(threaded, { unread_notifications: n(0, 0), unread_thread_notifications: undefined });
    assert.deepEqual(plain, { unread_notifications: n(0, 0), unread_thread_notifications: undefined });
  });
});
