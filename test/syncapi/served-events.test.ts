/**
 * Events as `/messages`, `/context`, `/relations` and `/threads` serve them, over real HTTP
 * against an in-process monolith: exact bundled aggregations (a thread root's `m.thread` with its
 * count, participation and latest reply — itself with its latest edit —, an edited message's
 * latest edit as `m.replace`, `m.reference` chunks), what is never bundled (an edit of an edit,
 * edits of a redacted original, children in another room, a left user's children from after
 * their leave), and the requester's `unsigned.membership` at each event (`leave` before any
 * member event, `invite`, `join`, and `leave` again after leaving).
 *
 * The syncapi consumes events asynchronously: `until` asks again until the answer shows what the
 * test sent, then the test asserts on that answer exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { userCalls, type ClientTestServer, type TestUser } from '../clientapi/client-test-server.js';
import { enc, startWithUsers, until, V1, V3, type ContextBody, type Obj, type ServedEvent as Ev } from './syncapi-http-kit.js';

interface Chunked {
  chunk: Ev[];
}

describe('syncapi: events served by /messages, /context, /relations and /threads', () => {
  let s: ClientTestServer;
  let alice: TestUser, bob: TestUser, carol: TestUser;
  before(async () => {
    ({ server: s, users: [alice, bob, carol] } = await startWithUsers(['alice', 'bob', 'carol']));
  });
  after(() => s.stop());

  const { ok, post, put, create } = userCalls(() => s);
  let txn = 0;
  const send = async (u: TestUser, roomId: string, content: Obj): Promise<string> =>
    String(ok(await put(u, `/rooms/${enc(roomId)}/send/m.room.message/s${++txn}`, content)).event_id);
  const text = (u: TestUser, roomId: string, body: string) => send(u, roomId, { msgtype: 'm.text', body });
  const relating = (u: TestUser, roomId: string, relType: string, parent: string, body = 'child') =>
    send(u, roomId, { msgtype: 'm.text', body, 'm.relates_to': { rel_type: relType, event_id: parent } });
  const edit = async (u: TestUser, roomId: string, parent: string, body: string) => {
    // Edits are ordered by origin_server_ts: keep each one's later than the one before.
    await new Promise((r) => setTimeout(r, 3));
    return send(u, roomId, { msgtype: 'm.text', body: `* ${body}`, 'm.new_content': { msgtype: 'm.text', body }, 'm.relates_to': { rel_type: 'm.replace', event_id: parent } });
  };
  const get = async (u: TestUser, path: string, query: Record<string, string | number> = {}): Promise<Obj> => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return ok(await s.call('GET', `${path}${qs ? `?${qs}` : ''}`, { token: u.accessToken }));
  };
  const messages = async (u: TestUser, roomId: string, query: Record<string, string | number> = {}) =>
    (await get(u, `${V3}/rooms/${enc(roomId)}/messages`, { dir: 'b', limit: 100, ...query })) as unknown as Chunked;
  const context = async (u: TestUser, roomId: string, eventId: string, limit: number) =>
    (await get(u, `${V3}/rooms/${enc(roomId)}/context/${enc(eventId)}`, { limit })) as unknown as ContextBody;
  const relations = async (u: TestUser, roomId: string, eventId: string) => (await get(u, `${V1}/rooms/${enc(roomId)}/relations/${enc(eventId)}`)) as unknown as Chunked;
  const threads = async (u: TestUser, roomId: string) => (await get(u, `${V1}/rooms/${enc(roomId)}/threads`)) as unknown as Chunked;
  /** Waits until `eventId` is the newest event of the room in `u`'s `/messages`, and returns the page. */
  const settled = (u: TestUser, roomId: string, eventId: string) => until(() => messages(u, roomId), (p) => p.chunk[0]?.event_id === eventId);
  const byId = (events: Ev[]) => new Map(events.map((e) => [e.event_id, e]));
  const relationsOf = (e: Ev | undefined) => e?.unsigned?.['m.relations'];
  const membershipOf = (e: Ev | undefined) => e?.unsigned?.membership;
  /** An event as bundles carry it: as stored, without what serving adds to `unsigned`. */
  const bare = (e: Ev): Obj => {
    const { unsigned, ...rest } = e;
    const { age: _age, membership: _membership, transaction_id: _txn, ...kept } = unsigned ?? {};
    return Object.keys(kept).length === 0 ? rest : { ...rest, unsigned: kept };
  };

  describe('a room with a thread, edits and references', () => {
    let roomId: string;
    type Name = 'm0' | 'm1' | 'root' | 't1' | 't2' | 't2edit' | 'msg' | 'e1' | 'e2' | 'e1e' | 'target' | 'ref1' | 'gone' | 'goneEdit' | 'redaction' | 'elsewhere' | 'last';
    const id = {} as Record<Name, string>;
    let page: Map<string, Ev>;
    before(async () => {
      roomId = await create(alice, { preset: 'public_chat' });
      const other = await create(alice, { preset: 'public_chat' });
      id.m0 = await text(alice, roomId, 'm0');
      ok(await post(alice, `/rooms/${enc(roomId)}/invite`, { user_id: bob.userId }));
      id.m1 = await text(alice, roomId, 'm1');
      ok(await post(bob, `/join/${enc(roomId)}`));
      ok(await post(bob, `/join/${enc(other)}`));
      id.root = await text(alice, roomId, 'root');
      id.t1 = await relating(bob, roomId, 'm.thread', id.root, 't1');
      id.t2 = await relating(alice, roomId, 'm.thread', id.root, 't2');
      id.t2edit = await edit(alice, roomId, id.t2, 't2 edited');
      id.msg = await text(alice, roomId, 'msg');
      id.e1 = await edit(alice, roomId, id.msg, 'msg 1');
      id.e2 = await edit(alice, roomId, id.msg, 'msg 2');
      // An edit of an edit is invalid: never bundled on the edit it targets.
      id.e1e = await edit(alice, roomId, id.e1, 'msg 1 again');
      id.target = await text(bob, roomId, 'target');
      id.ref1 = await relating(alice, roomId, 'm.reference', id.target);
      id.gone = await text(alice, roomId, 'gone');
      id.goneEdit = await edit(alice, roomId, id.gone, 'gone edited');
      id.redaction = String(ok(await put(alice, `/rooms/${enc(roomId)}/redact/${enc(id.gone)}/r1`, {})).event_id);
      // A thread reply from another room counts for nothing.
      id.elsewhere = await relating(bob, other, 'm.thread', id.root, 'elsewhere');
      await settled(bob, other, id.elsewhere);
      id.last = await text(alice, roomId, 'last');
      const settledPage = await settled(bob, roomId, id.last);
      page = byId(settledPage.chunk);
    });

    it('/messages bundles m.thread (latest reply with its own edit), m.replace and m.reference exactly', async () => {
      const t2 = page.get(id.t2)!;
      assert.deepEqual(relationsOf(page.get(id.root)), {
        'm.thread': {
          latest_event: { ...bare(t2), unsigned: { 'm.relations': { 'm.replace': bare(page.get(id.t2edit)!) } } },
          count: 2,
          current_user_participated: true,
        },
      });
      assert.deepEqual(relationsOf(page.get(id.msg)), { 'm.replace': bare(page.get(id.e2)!) });
      assert.equal(page.get(id.msg)!.content.body, 'msg', 'the original content is left alone');
      assert.deepEqual(relationsOf(page.get(id.target)), { 'm.reference': { chunk: [{ event_id: id.ref1 }] } });
      assert.deepEqual(relationsOf(t2), { 'm.replace': bare(page.get(id.t2edit)!) });
      for (const k of ['t1', 'e1', 'e2', 'e1e', 'ref1', 'last'] as const) assert.equal(relationsOf(page.get(id[k])), undefined, k);
      // Alice did not reply in the thread, but sent its root: she took part.
      const asAlice = byId((await messages(alice, roomId)).chunk);
      assert.equal(((relationsOf(asAlice.get(id.root)) as Obj)['m.thread'] as Obj).current_user_participated, true);
      assert.deepEqual(relationsOf(asAlice.get(id.msg)), relationsOf(page.get(id.msg)));
    });

    it('a redacted original is served redacted, without its edits', () => {
      const gone = page.get(id.gone)!;
      assert.deepEqual(gone.content, {});
      assert.equal((gone.unsigned!.redacted_because as Ev).event_id, id.redaction);
      assert.equal(relationsOf(gone), undefined);
    });

    it('unsigned.membership: leave before any member event, invite, then join', () => {
      const joinEvent = [...page.values()].find((e) => e.type === 'm.room.member' && e.state_key === bob.userId && e.content.membership === 'join')!;
      const inviteEvent = [...page.values()].find((e) => e.type === 'm.room.member' && e.state_key === bob.userId && e.content.membership === 'invite')!;
      assert.deepEqual(
        [id.m0, inviteEvent.event_id, id.m1, joinEvent.event_id, id.root, id.last].map((e) => membershipOf(page.get(e))),
        ['leave', 'invite', 'invite', 'join', 'join', 'join'],
      );
      const createEvent = [...page.values()].find((e) => e.type === 'm.room.create')!;
      assert.equal(membershipOf(createEvent), 'leave');
    });

    it('/context bundles the event and the lists, with memberships; state has age only', async () => {
      const c = await context(bob, roomId, id.root, 4);
      assert.equal(c.event.event_id, id.root);
      assert.deepEqual(relationsOf(c.event), relationsOf(page.get(id.root)));
      assert.equal(membershipOf(c.event), 'join');
      const before = c.events_before.map((e) => [e.event_id, membershipOf(e)]);
      assert.deepEqual(before.map(([, m]) => m), ['join', 'invite']);
      assert.deepEqual(before[1]![0], id.m1);
      assert.deepEqual(c.events_after.map((e) => e.event_id), [id.t1, id.t2]);
      assert.deepEqual(relationsOf(c.events_after[1]), { 'm.replace': bare(page.get(id.t2edit)!) });
      const msgCtx = await context(bob, roomId, id.msg, 0);
      assert.deepEqual(relationsOf(msgCtx.event), { 'm.replace': bare(page.get(id.e2)!) });
      for (const e of c.state) {
        assert.equal(typeof e.unsigned?.age, 'number', e.type);
        assert.equal(e.unsigned?.membership, undefined, e.type);
        assert.equal(e.room_id, roomId);
      }
    });

    it('/relations serves children with their own bundles and memberships', async () => {
      const children = await relations(bob, roomId, id.root);
      assert.deepEqual(children.chunk.map((e) => e.event_id), [id.t2, id.t1]);
      assert.deepEqual(relationsOf(children.chunk[0]), { 'm.replace': bare(page.get(id.t2edit)!) });
      assert.equal(relationsOf(children.chunk[1]), undefined);
      assert.deepEqual(children.chunk.map(membershipOf), ['join', 'join']);
      // Served as /messages serves it (but for the age, a moment later).
      const t1 = page.get(id.t1)!;
      assert.deepEqual(children.chunk[1], { ...t1, unsigned: { ...t1.unsigned, age: children.chunk[1]!.unsigned!.age } });
    });

    it('/threads serves the root with its m.thread summary and membership', async () => {
      const list = await threads(bob, roomId);
      assert.deepEqual(list.chunk.map((e) => e.event_id), [id.root]);
      assert.deepEqual(relationsOf(list.chunk[0]), relationsOf(page.get(id.root)));
      assert.equal(membershipOf(list.chunk[0]), 'join');
    });
  });

  it('a left user: bundles stop at their leave, memberships say join then leave', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(carol, `/join/${enc(roomId)}`));
    const root = await text(alice, roomId, 'root');
    const c1 = await relating(carol, roomId, 'm.thread', root, 'c1');
    const msg = await text(alice, roomId, 'msg');
    ok(await post(carol, `/rooms/${enc(roomId)}/leave`));
    await relating(alice, roomId, 'm.thread', root, 'after carol');
    await edit(alice, roomId, msg, 'msg edited after carol');
    const last = await text(alice, roomId, 'last');
    await settled(alice, roomId, last);

    const seen = await messages(carol, roomId);
    const ev = byId(seen.chunk);
    const leave = seen.chunk[0]!;
    assert.deepEqual([leave.type, leave.state_key, leave.content.membership], ['m.room.member', carol.userId, 'leave']);
    assert.deepEqual(relationsOf(ev.get(root)), { 'm.thread': { latest_event: bare(ev.get(c1)!), count: 1, current_user_participated: true } });
    assert.equal(relationsOf(ev.get(msg)), undefined, 'the edit came after the leave');
    assert.deepEqual([membershipOf(leave), membershipOf(ev.get(msg)), membershipOf(ev.get(root))], ['leave', 'join', 'join']);
    const carolThreads = await threads(carol, roomId);
    assert.deepEqual(carolThreads.chunk.map((e) => e.event_id), [root]);
    assert.equal(((relationsOf(carolThreads.chunk[0]) as Obj)['m.thread'] as Obj).count, 1);
    // Alice, still joined, sees both replies and the edit.
    const aliceView = byId((await messages(alice, roomId)).chunk);
    assert.equal(((relationsOf(aliceView.get(root)) as Obj)['m.thread'] as Obj).count, 2);
    assert.equal(((relationsOf(aliceView.get(msg)) as Obj)['m.replace'] as Ev).content.body, '* msg edited after carol');
  });

  it('a thread whose every reply came after the user left is not listed for them', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(carol, `/join/${enc(roomId)}`));
    const root = await text(alice, roomId, 'root');
    ok(await post(carol, `/rooms/${enc(roomId)}/leave`));
    const reply = await relating(alice, roomId, 'm.thread', root, 'late');
    await until(() => threads(alice, roomId), (p) => p.chunk.length === 1);
    assert.deepEqual((await threads(carol, roomId)).chunk, []);
    await settled(alice, roomId, reply);
    assert.equal(relationsOf(byId((await messages(carol, roomId)).chunk).get(root)), undefined);
  });
});
