/**
 * `/relations`, `/threads` and bundled aggregations over real HTTP against an in-process
 * monolith: children by relation type and event type, pages in both directions, recursion, 404s
 * (unknown parent, another room's, history the user may not see), threads listed by latest reply
 * (all or participated, paginated), bundles in `/sync` timelines (a thread root's count and latest
 * reply, an edited message's latest edit, references) and in `/threads` chunks, and a redacted
 * reply leaving its thread.
 *
 * The syncapi consumes events asynchronously: a test that needs events stored asks again until
 * the answer shows them (`until`), then asserts on that answer exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody as ok, type ClientTestServer, type TestUser } from '../clientapi/client-test-server.js';
import { enc, startWithUsers, until, V1, V3, type Obj, type ServedEvent as Ev } from './syncapi-http-kit.js';

interface Page {
  chunk: Ev[];
  next_batch?: string;
  prev_batch?: string;
  recursion_depth?: number;
}

describe('syncapi: relations, threads and bundled aggregations', () => {
  let s: ClientTestServer;
  let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser;
  before(async () => {
    ({ server: s, users: [alice, bob, carol, dave] } = await startWithUsers(['alice', 'bob', 'carol', 'dave']));
  });
  after(() => s.stop());

  let txn = 0;
  const createRoom = async (u: TestUser, body: Obj = { preset: 'public_chat' }) => String(ok(await s.call('POST', `${V3}/createRoom`, { token: u.accessToken, body })).room_id);
  const join = async (u: TestUser, roomId: string) => ok(await s.call('POST', `${V3}/join/${enc(roomId)}`, { token: u.accessToken, body: {} }));
  const send = async (u: TestUser, roomId: string, content: Obj, type = 'm.room.message'): Promise<string> =>
    String(ok(await s.call('PUT', `${V3}/rooms/${enc(roomId)}/send/${enc(type)}/t${++txn}`, { token: u.accessToken, body: content })).event_id);
  const text = (u: TestUser, roomId: string, body: string) => send(u, roomId, { msgtype: 'm.text', body });
  const relating = (u: TestUser, roomId: string, relType: string, parent: string, extra: Obj = {}, type = 'm.room.message') =>
    send(u, roomId, { msgtype: 'm.text', body: 'child', ...extra, 'm.relates_to': { rel_type: relType, event_id: parent, ...(extra['m.relates_to'] as Obj | undefined) } }, type);
  const edit = (u: TestUser, roomId: string, parent: string, body: string) =>
    send(u, roomId, { msgtype: 'm.text', body: `* ${body}`, 'm.new_content': { msgtype: 'm.text', body }, 'm.relates_to': { rel_type: 'm.replace', event_id: parent } });
  const redact = async (u: TestUser, roomId: string, eventId: string) =>
    ok(await s.call('PUT', `${V3}/rooms/${enc(roomId)}/redact/${enc(eventId)}/r${++txn}`, { token: u.accessToken, body: {} }));
  const get = (u: TestUser, path: string, query: Record<string, string | number | boolean> = {}) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return s.call('GET', `${path}${qs ? `?${qs}` : ''}`, { token: u.accessToken });
  };
  const relations = async (u: TestUser, roomId: string, path: string, query: Record<string, string | number | boolean> = {}): Promise<Page> =>
    ok(await get(u, `${V1}/rooms/${enc(roomId)}/relations/${path}`, query)) as unknown as Page;
  const threads = async (u: TestUser, roomId: string, query: Record<string, string | number | boolean> = {}): Promise<Page> =>
    ok(await get(u, `${V1}/rooms/${enc(roomId)}/threads`, query)) as unknown as Page;
  const ids = (p: Page) => p.chunk.map((e) => e.event_id);
  const rel = (e: Ev | undefined) => (e?.unsigned?.['m.relations'] as Obj | undefined) ?? undefined;

  it('lists an event\'s children: all, by rel_type, by rel_type and event type, newest first', async () => {
    const roomId = await createRoom(alice);
    await join(bob, roomId);
    const root = await text(alice, roomId, 'root');
    const t1 = await relating(bob, roomId, 'm.thread', root);
    const ref = await relating(alice, roomId, 'm.reference', root, {}, 'org.example.vote');
    const react = await send(bob, roomId, { 'm.relates_to': { rel_type: 'm.annotation', event_id: root, key: '👍' } }, 'm.reaction');
    const t2 = await relating(alice, roomId, 'm.thread', root);
    await text(alice, roomId, 'unrelated');
    const all = await until(() => relations(bob, roomId, enc(root)), (p) => p.chunk.length === 4);
    assert.deepEqual(all, { chunk: all.chunk });
    assert.deepEqual(ids(all), [t2, react, ref, t1]);
    const first = all.chunk[3]!;
    assert.deepEqual([first.room_id, first.sender, first.type, first.content['m.relates_to']], [roomId, bob.userId, 'm.room.message', { rel_type: 'm.thread', event_id: root }]);
    assert.deepEqual(ids(await relations(bob, roomId, `${enc(root)}/m.thread`)), [t2, t1]);
    assert.deepEqual(ids(await relations(bob, roomId, `${enc(root)}/m.annotation/m.reaction`)), [react]);
    assert.deepEqual(ids(await relations(bob, roomId, `${enc(root)}/m.annotation/m.room.message`)), []);
    assert.deepEqual(ids(await relations(bob, roomId, `${enc(root)}/m.reference/org.example.vote`)), [ref]);
  });

  it('pages backwards and forwards with next_batch, prev_batch and to', async () => {
    const roomId = await createRoom(alice);
    const root = await text(alice, roomId, 'root');
    const r: string[] = [];
    for (let i = 1; i <= 5; i++) r.push(await relating(alice, roomId, 'm.thread', root));
    const [r1, r2, r3, r4, r5] = r;
    const p1 = await until(() => relations(alice, roomId, enc(root), { limit: 2 }), (p) => p.chunk[0]?.event_id === r5);
    assert.deepEqual(ids(p1), [r5, r4]);
    assert.equal(p1.prev_batch, undefined);
    const p2 = await relations(alice, roomId, enc(root), { limit: 2, from: p1.next_batch! });
    assert.deepEqual([ids(p2), p2.prev_batch], [[r3, r2], p1.next_batch]);
    const p3 = await relations(alice, roomId, enc(root), { limit: 2, from: p2.next_batch! });
    assert.deepEqual([ids(p3), p3.next_batch], [[r1], undefined]);
    const between = await relations(alice, roomId, enc(root), { from: p1.next_batch!, to: p2.next_batch! });
    assert.deepEqual([ids(between), between.next_batch], [[r3, r2], undefined]);

    const f1 = await relations(alice, roomId, enc(root), { dir: 'f', limit: 3 });
    assert.deepEqual(ids(f1), [r1, r2, r3]);
    const f2 = await relations(alice, roomId, enc(root), { dir: 'f', limit: 3, from: f1.next_batch! });
    assert.deepEqual([ids(f2), f2.next_batch, f2.prev_batch], [[r4, r5], undefined, f1.next_batch]);
    // A sync token: the children stored by then.
    const { next_batch: since } = ok(await get(alice, `${V3}/sync`, { filter: JSON.stringify({ room: { timeline: { limit: 1 } } }) }));
    const later = await relating(alice, roomId, 'm.thread', root);
    await until(() => relations(alice, roomId, enc(root), { limit: 1 }), (p) => p.chunk[0]?.event_id === later);
    assert.deepEqual(ids(await relations(alice, roomId, enc(root), { from: String(since), limit: 1 })), [r5]);
    assert.equal((await get(alice, `${V1}/rooms/${enc(roomId)}/relations/${enc(root)}`, { from: 'nonsense' })).body.errcode, 'M_INVALID_PARAM');
  });

  it('recurses three levels through matching relations and says how deep', async () => {
    const roomId = await createRoom(alice);
    const a = await text(alice, roomId, 'a');
    const b = await relating(alice, roomId, 'm.reference', a);
    const c = await relating(alice, roomId, 'm.reference', b);
    const d = await relating(alice, roomId, 'm.reference', c);
    const e = await relating(alice, roomId, 'm.reference', d);
    const edited = await edit(alice, roomId, c, 'c edited');
    await until(() => relations(alice, roomId, enc(c)), (p) => p.chunk[0]?.event_id === edited);
    assert.deepEqual(ids(await relations(alice, roomId, enc(d))), [e]);
    const direct = await relations(alice, roomId, enc(a));
    assert.deepEqual(direct, { chunk: direct.chunk });
    assert.deepEqual(ids(direct), [b]);
    const deep = await relations(alice, roomId, enc(a), { recurse: true });
    assert.deepEqual([ids(deep), deep.recursion_depth], [[edited, d, c, b], 3]);
    const refsOnly = await relations(alice, roomId, `${enc(a)}/m.reference`, { recurse: true });
    assert.deepEqual([ids(refsOnly), refsOnly.recursion_depth], [[d, c, b], 3]);
    // Children come with their own bundles: c's edit, b's reference.
    assert.equal((rel(refsOnly.chunk[1])?.['m.replace'] as Ev | undefined)?.event_id, edited);
    assert.deepEqual(rel(refsOnly.chunk[2])?.['m.reference'], { chunk: [{ event_id: c }] });
  });

  it('404 for an unknown parent, another room\'s event, and history the user may not see', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }] });
    const other = await createRoom(alice);
    const elsewhere = await text(alice, other, 'elsewhere');
    const early = await text(alice, roomId, 'before carol');
    await relating(alice, roomId, 'm.thread', early);
    await until(() => relations(alice, roomId, enc(early)), (p) => p.chunk.length === 1);
    const notFound = async (u: TestUser, eventId: string) => {
      const res = await get(u, `${V1}/rooms/${enc(roomId)}/relations/${enc(eventId)}`);
      assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND'], eventId);
    };
    await notFound(alice, '$unknown');
    await notFound(alice, elsewhere);
    await notFound(dave, early);
    await join(carol, roomId);
    await notFound(carol, early);
    const late = await text(alice, roomId, 'after carol');
    const child = await relating(alice, roomId, 'm.thread', late);
    assert.deepEqual(ids(await until(() => relations(carol, roomId, enc(late)), (p) => p.chunk.length === 1)), [child]);
    const forbidden = await get(dave, `${V1}/rooms/${enc(roomId)}/threads`);
    assert.deepEqual([forbidden.status, forbidden.body.errcode], [403, 'M_FORBIDDEN']);
    // Carol sees the thread she can see, not the one from before she joined.
    assert.deepEqual(ids(await threads(carol, roomId)), [late]);
  });

  it('lists threads by latest reply, all or participated, paginated, with their bundles', async () => {
    const roomId = await createRoom(alice);
    await join(bob, roomId);
    await join(carol, roomId);
    const A = await text(alice, roomId, 'A');
    const B = await text(bob, roomId, 'B');
    const C = await text(bob, roomId, 'C');
    await relating(bob, roomId, 'm.thread', A);
    const rC = await relating(alice, roomId, 'm.thread', C);
    await relating(bob, roomId, 'm.thread', B);
    const rA2 = await relating(bob, roomId, 'm.thread', A);
    const all = await until(() => threads(carol, roomId), (p) => p.chunk[0]?.event_id === A);
    assert.deepEqual([ids(all), all.next_batch], [[A, B, C], undefined]);
    assert.deepEqual(ids(await threads(alice, roomId, { include: 'participated' })), [A, C]);
    assert.deepEqual(ids(await threads(bob, roomId, { include: 'participated' })), [A, B, C]);
    assert.deepEqual(ids(await threads(carol, roomId, { include: 'participated' })), []);
    const p1 = await threads(carol, roomId, { limit: 2 });
    assert.deepEqual(ids(p1), [A, B]);
    const p2 = await threads(carol, roomId, { limit: 2, from: p1.next_batch! });
    assert.deepEqual([ids(p2), p2.next_batch], [[C], undefined]);
    const threadA = rel(all.chunk[0])?.['m.thread'] as Obj;
    assert.deepEqual([threadA.count, threadA.current_user_participated, (threadA.latest_event as Ev).event_id], [2, false, rA2]);
    const asAlice = await threads(alice, roomId);
    assert.deepEqual((rel(asAlice.chunk[2])?.['m.thread'] as Obj).current_user_participated, true, 'alice replied in C');
    assert.equal(((rel(asAlice.chunk[2])?.['m.thread'] as Obj).latest_event as Ev).event_id, rC);
    const bad = await get(alice, `${V1}/rooms/${enc(roomId)}/threads`, { limit: 0 });
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('bundles m.thread, m.replace and m.reference into sync timelines', async () => {
    const roomId = await createRoom(alice);
    await join(bob, roomId);
    const root = await text(alice, roomId, 'root');
    await relating(bob, roomId, 'm.thread', root);
    const lastReply = await relating(alice, roomId, 'm.thread', root);
    const msg = await text(alice, roomId, 'hello');
    await edit(alice, roomId, msg, 'hello again');
    // Edits are ordered by origin_server_ts: make sure the second one is later.
    await new Promise((r) => setTimeout(r, 5));
    const latestEdit = await edit(alice, roomId, msg, 'hello at last');
    await edit(bob, roomId, msg, 'not yours to edit');
    const target = await text(bob, roomId, 'target');
    const ref1 = await relating(alice, roomId, 'm.reference', target);
    const ref2 = await relating(bob, roomId, 'm.reference', target);
    type SyncBody = { next_batch: string; rooms: { join: Record<string, { timeline: { events: Ev[]; limited: boolean } }> } };
    const sync = async (u: TestUser, query: Record<string, string> = {}) => ok(await get(u, `${V3}/sync`, query)) as unknown as SyncBody;
    const timelineOf = (b: SyncBody) => b.rooms.join[roomId]?.timeline.events ?? [];
    // Timeline long enough for the whole room: an initial sync bundles even when not limited.
    const body = await until(() => sync(bob, { filter: JSON.stringify({ room: { timeline: { limit: 50 } } }) }), (b) => timelineOf(b).some((e) => e.event_id === ref2));
    const byId = new Map(timelineOf(body).map((e) => [e.event_id, e]));

    const thread = rel(byId.get(root))!['m.thread'] as Obj;
    const latest = thread.latest_event as Ev;
    assert.deepEqual([thread.count, thread.current_user_participated, latest.event_id, latest.sender, latest.content.body], [2, true, lastReply, alice.userId, 'child']);
    const replaced = rel(byId.get(msg))!['m.replace'] as Ev;
    assert.deepEqual([replaced.event_id, replaced.sender, (replaced.content['m.new_content'] as Obj).body], [latestEdit, alice.userId, 'hello at last']);
    assert.equal(byId.get(msg)!.content.body, 'hello', 'the original content is left alone');
    assert.deepEqual(rel(byId.get(target)), { 'm.reference': { chunk: [{ event_id: ref1 }, { event_id: ref2 }] } });
    assert.equal(rel(byId.get(lastReply)), undefined);
    assert.equal(rel(byId.get(ref1)), undefined);

    // Incremental and not limited: the client has every child, nothing is bundled.
    await text(alice, roomId, 'pad');
    const x = await text(alice, roomId, 'x');
    const refX = await relating(bob, roomId, 'm.reference', x);
    const full = await until(() => sync(bob, { since: body.next_batch }), (b) => timelineOf(b).some((e) => e.event_id === refX));
    assert.equal(full.rooms.join[roomId]!.timeline.limited, false);
    assert.equal(rel(timelineOf(full).find((e) => e.event_id === x)), undefined);
    // Limited: bundled.
    const limited = await sync(bob, { since: body.next_batch, filter: JSON.stringify({ room: { timeline: { limit: 2 } } }) });
    assert.deepEqual([timelineOf(limited).map((e) => e.event_id), limited.rooms.join[roomId]!.timeline.limited], [[x, refX], true]);
    assert.deepEqual(rel(timelineOf(limited)[0]), { 'm.reference': { chunk: [{ event_id: refX }] } });
  });

  it('a redacted reply leaves its thread: count, latest reply and relations follow', async () => {
    const roomId = await createRoom(alice);
    await join(bob, roomId);
    const root = await text(alice, roomId, 'root');
    const r1 = await relating(bob, roomId, 'm.thread', root);
    const r2 = await relating(bob, roomId, 'm.thread', root);
    const before = await until(() => threads(alice, roomId), (p) => ((rel(p.chunk[0])?.['m.thread'] as Obj | undefined)?.count ?? 0) === 2);
    assert.equal(((rel(before.chunk[0])!['m.thread'] as Obj).latest_event as Ev).event_id, r2);
    await redact(bob, roomId, r2);
    const afterRedaction = await until(() => threads(alice, roomId), (p) => (rel(p.chunk[0])?.['m.thread'] as Obj | undefined)?.count === 1);
    const thread = rel(afterRedaction.chunk[0])!['m.thread'] as Obj;
    assert.deepEqual([ids(afterRedaction), (thread.latest_event as Ev).event_id, thread.current_user_participated], [[root], r1, true]);
    assert.deepEqual(ids(await relations(alice, roomId, enc(root))), [r1]);
    await redact(bob, roomId, r1);
    await until(() => threads(alice, roomId), (p) => p.chunk.length === 0);
    assert.deepEqual(ids(await relations(alice, roomId, enc(root))), []);
  });
});
