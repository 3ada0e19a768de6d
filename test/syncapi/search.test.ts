/**
 * `POST /search` over real HTTP against an in-process monolith, on SQLite and on PostgreSQL:
 * rank and recent order, events served as `/messages` serves them, highlights and count; keys
 * and the filter; pagination over several pages returning every hit once (and leaving out what
 * arrived after the first page); groupings with their own `next_batch`; context with profiles;
 * `include_state`; history visibility (`joined` history before a join, a left user, a stranger,
 * a forgotten room); encrypted rooms; a redaction removing its hit; and the errors.
 *
 * The syncapi consumes the roomserver's output asynchronously: `waitFor` pages `/messages` until
 * the newest event a test sent is there before it searches.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { SHARED_SECRET, type ClientTestServer, type Res, type TestUser } from '../clientapi/client-test-server.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { enc, startWithUsers, syncCalls, V3, type ServedEvent as Ev } from './syncapi-http-kit.js';

interface Group {
  results: string[];
  order: number;
  next_batch?: string;
}
interface Result {
  rank: number;
  result: Ev;
  context?: { start: string; end: string; events_before: Ev[]; events_after: Ev[]; profile_info?: Record<string, { displayname?: string; avatar_url?: string }> };
}
interface RoomEvents {
  results: Result[];
  count: number;
  highlights: string[];
  next_batch?: string;
  state?: Record<string, Ev[]>;
  groups?: Record<string, Record<string, Group>>;
}

describeEachBackend('syncapi: /search', (backend) => {
  let s: ClientTestServer;
  let alice: TestUser, bob: TestUser, carol: TestUser;
  before(async () => {
    ({ server: s, users: [alice, bob, carol] } = await startWithUsers(['alice', 'bob', 'carol'], {
      registration: { enabled: true, shared_secret: SHARED_SECRET },
      database: { connection_string: await backend.freshConnectionString() },
    }));
  });
  after(() => s.stop());

  const { ok, post, put, create, sendText: send, waitFor } = syncCalls(() => s);
  const searchRes = (u: TestUser, body: unknown, nextBatch?: string): Promise<Res> =>
    s.call('POST', `${V3}/search${nextBatch === undefined ? '' : `?next_batch=${enc(nextBatch)}`}`, { token: u.accessToken, body });
  const search = async (u: TestUser, criteria: Record<string, unknown>, nextBatch?: string): Promise<RoomEvents> =>
    (ok(await searchRes(u, { search_categories: { room_events: criteria } }, nextBatch)).search_categories as { room_events: RoomEvents }).room_events;
  const ids = (r: RoomEvents) => r.results.map((x) => x.result.event_id);
  /** Follows `next_batch` from a first page; every page. */
  const pageAll = async (u: TestUser, criteria: Record<string, unknown>, first?: string): Promise<RoomEvents[]> => {
    const pages: RoomEvents[] = [];
    let next = first;
    for (let i = 0; i < 50; i++) {
      const page = await search(u, criteria, next);
      pages.push(page);
      if (page.next_batch === undefined) return pages;
      next = page.next_batch;
    }
    assert.fail('pagination never ended');
  };

  it('rank and recent order, events served as /messages serves them, highlights and count', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const split = await send(alice, roomId, 'a banana split');
    const many = await send(bob, roomId, 'banana banana banana bananas');
    const yellow = await send(alice, roomId, 'Bananas are yellow');
    const last = await send(alice, roomId, 'no fruit here');
    await waitFor(alice, roomId, last);

    const ranked = await search(alice, { search_term: 'banana' });
    assert.equal(ranked.results[0]!.result.event_id, many);
    assert.deepEqual(new Set(ids(ranked)), new Set([split, many, yellow]));
    for (let i = 1; i < ranked.results.length; i++) assert.ok(ranked.results[i - 1]!.rank >= ranked.results[i]!.rank);
    assert.ok(ranked.results.every((r) => typeof r.rank === 'number' && r.rank > 0));
    assert.equal(ranked.count, 3);
    assert.equal(ranked.next_batch, undefined);
    assert.deepEqual([...ranked.highlights].sort(), ['Bananas', 'banana', 'bananas'].sort());
    assert.equal(ranked.highlights[0], 'banana');
    assert.equal('groups' in ranked || 'state' in ranked, false);

    const recent = await search(alice, { search_term: 'BANANA', order_by: 'recent' });
    assert.deepEqual(ids(recent), [yellow, many, split]);
    const served = recent.results[2]!.result;
    assert.deepEqual([served.room_id, served.sender, served.content.body], [roomId, alice.userId, 'a banana split']);
    assert.equal(typeof served.unsigned!.age, 'number');
    assert.match(String(served.unsigned!.transaction_id), /^t\d+$/);
    for (const k of ['auth_events', 'prev_events', 'hashes', 'signatures', 'depth']) assert.equal(k in served, false, k);
    // The transaction ID goes to the sending device only.
    const bobs = await search(bob, { search_term: 'banana', order_by: 'recent' });
    assert.deepEqual(ids(bobs), [yellow, many, split]);
    assert.equal(bobs.results[2]!.result.unsigned!.transaction_id, undefined);
    // Prefixes match; every word must.
    assert.deepEqual(ids(await search(alice, { search_term: 'ban yel', order_by: 'recent' })), [yellow]);
    const none = await search(alice, { search_term: 'banana kiwi' });
    assert.deepEqual([none.results, none.count, none.next_batch], [[], 0, undefined]);
  });

  it('results carry bundled aggregations and the requester\'s membership, as /messages serves them', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const original = await send(alice, roomId, 'an original fig');
    const edit = await send(alice, roomId, '* an edited fig', { 'm.new_content': { msgtype: 'm.text', body: 'an edited fig' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original } });
    await waitFor(alice, roomId, edit);
    const res = await search(alice, { search_term: 'original' });
    assert.deepEqual(ids(res), [original]);
    const unsigned = res.results[0]!.result.unsigned!;
    assert.equal(unsigned.membership, 'join');
    assert.equal(((unsigned['m.relations'] as Record<string, Ev>)['m.replace'])!.event_id, edit);
  });

  it('keys choose names, topics or bodies; the filter narrows by room, sender, type, url and limit', async () => {
    const roomId = await create(alice, { preset: 'public_chat', name: 'Walrus club', topic: 'All about walrus tusks' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const other = await create(alice, { preset: 'public_chat' });
    const text = await send(alice, roomId, 'a walrus message');
    const photo = await send(bob, roomId, 'walrus photo', { msgtype: 'm.image', url: 'mxc://hs.test/walrus' });
    const elsewhere = await send(alice, other, 'walrus elsewhere');
    await waitFor(alice, other, elsewhere);
    await waitFor(alice, roomId, photo);
    const types = (r: RoomEvents) => r.results.map((x) => x.result.type);

    const all = await search(alice, { search_term: 'walrus', order_by: 'recent' });
    assert.equal(all.results.length, 5);
    assert.deepEqual(types(all).slice(0, 3), ['m.room.message', 'm.room.message', 'm.room.message']);
    assert.deepEqual(types(await search(alice, { search_term: 'walrus', keys: ['content.name'] })), ['m.room.name']);
    const topic = await search(alice, { search_term: 'tusk', keys: ['content.topic'] });
    assert.deepEqual([types(topic), topic.results[0]!.result.content.topic], [['m.room.topic'], 'All about walrus tusks']);
    assert.deepEqual(ids(await search(alice, { search_term: 'walrus', keys: ['content.body'], order_by: 'recent' })), [elsewhere, photo, text]);
    assert.deepEqual(ids(await search(alice, { search_term: 'walrus', keys: [] })), []);

    const f = (filter: Record<string, unknown>) => search(alice, { search_term: 'walrus', order_by: 'recent', filter });
    assert.deepEqual(ids(await f({ rooms: [other] })), [elsewhere]);
    assert.equal((await f({ not_rooms: [other] })).results.length, 4);
    assert.deepEqual(ids(await f({ senders: [bob.userId] })), [photo]);
    assert.deepEqual(ids(await f({ not_senders: [alice.userId] })), [photo]);
    assert.deepEqual(types(await f({ types: ['m.room.n*'] })), ['m.room.name']);
    assert.deepEqual(ids(await f({ contains_url: true })), [photo]);
    assert.equal((await f({ contains_url: false })).results.length, 4);
    const limited = await f({ limit: 2 });
    assert.deepEqual(ids(limited), [elsewhere, photo]);
    assert.equal(typeof limited.next_batch, 'string');
    assert.equal(limited.count, 5);
  });

  it('pages of 5 return every hit once, in order, and leave out what arrived after the first page', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const sent: string[] = [];
    for (let i = 0; i < 23; i++) sent.push(await send(alice, roomId, `tick number ${i}${i % 4 === 0 ? ' tick tick' : ''}`));
    await waitFor(alice, roomId, sent.at(-1)!);

    const recent = await pageAll(alice, { search_term: 'tick', order_by: 'recent', filter: { limit: 5 } });
    assert.deepEqual(recent.map((p) => p.results.length), [5, 5, 5, 5, 3]);
    assert.deepEqual(recent.flatMap(ids), [...sent].reverse());
    assert.ok(recent.every((p) => p.count === 23));

    const first = await search(alice, { search_term: 'tick', filter: { limit: 5 } });
    const late = await send(alice, roomId, 'tick tick tick tick late');
    await waitFor(alice, roomId, late);
    const rest = await pageAll(alice, { search_term: 'tick', filter: { limit: 5 } }, first.next_batch);
    const ranked = [...ids(first), ...rest.flatMap(ids)];
    assert.equal(ranked.length, 23);
    assert.deepEqual(new Set(ranked), new Set(sent));
    // The messages saying "tick" three times come first.
    assert.deepEqual(new Set(ranked.slice(0, 6)), new Set(sent.filter((_, i) => i % 4 === 0)));
    // Ranks descend within each page (bm25's scale moved with the late message, so values of
    // different pages are not comparable on SQLite).
    for (const p of [first, ...rest]) {
      for (let i = 1; i < p.results.length; i++) assert.ok(p.results[i - 1]!.rank >= p.results[i]!.rank, `rank order at ${i}`);
    }
    // A new search sees the late message, first.
    assert.equal((await search(alice, { search_term: 'tick' })).results[0]!.result.event_id, late);
  });

  it('groupings by room and sender, each group paging on with its own next_batch', async () => {
    const r1 = await create(alice, { preset: 'public_chat' });
    const r2 = await create(bob, { preset: 'public_chat' });
    ok(await post(alice, `/join/${enc(r2)}`));
    const a1 = await send(alice, r1, 'grape one');
    const b1 = await send(bob, r2, 'grape two');
    const a2 = await send(alice, r1, 'grape three');
    const b2 = await send(bob, r2, 'grape four');
    const a3 = await send(alice, r1, 'grape five');
    await waitFor(alice, r1, a3);
    await waitFor(alice, r2, b2);
    const criteria = { search_term: 'grape', order_by: 'recent', filter: { limit: 3 }, groupings: { group_by: [{ key: 'room_id' }, { key: 'sender' }] } };

    const page = await search(alice, criteria);
    assert.deepEqual(ids(page), [a3, b2, a2]);
    const groups = page.groups!;
    assert.deepEqual(Object.keys(groups).sort(), ['room_id', 'sender']);
    assert.deepEqual([groups.room_id![r1]!.results, groups.room_id![r1]!.order], [[a3, a2], 1]);
    assert.deepEqual([groups.room_id![r2]!.results, groups.room_id![r2]!.order], [[b2], 2]);
    assert.deepEqual([groups.sender![alice.userId]!.results, groups.sender![bob.userId]!.results], [[a3, a2], [b2]]);
    for (const g of [...Object.values(groups.room_id!), ...Object.values(groups.sender!)]) assert.equal(typeof g.next_batch, 'string');

    const inR1 = await search(alice, criteria, groups.room_id![r1]!.next_batch);
    assert.deepEqual(ids(inR1), [a1]);
    assert.equal(inR1.next_batch, undefined);
    assert.deepEqual(inR1.groups!.room_id, { [r1]: { results: [a1], order: 1 } });
    assert.deepEqual(ids(await search(alice, criteria, groups.room_id![r2]!.next_batch)), [b1]);
    assert.deepEqual(ids(await search(alice, criteria, groups.sender![bob.userId]!.next_batch)), [b1]);
    const rest = await search(alice, criteria, page.next_batch);
    assert.deepEqual(ids(rest), [b1, a1]);
    assert.equal(rest.next_batch, undefined);
  });

  it('event_context with profiles, and include_state', async () => {
    const roomId = await create(alice, { preset: 'public_chat', name: 'Context room' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    ok(await put(bob, `/rooms/${enc(roomId)}/state/m.room.member/${enc(bob.userId)}`, { membership: 'join', displayname: 'Bobby', avatar_url: 'mxc://hs.test/bob' }));
    const c1 = await send(alice, roomId, 'one');
    const c2 = await send(bob, roomId, 'two');
    const needle = await send(alice, roomId, 'the needle');
    const c4 = await send(bob, roomId, 'four');
    const c5 = await send(alice, roomId, 'five');
    await waitFor(alice, roomId, c5);

    const res = await search(alice, { search_term: 'needle', event_context: { before_limit: 2, after_limit: 1, include_profile: true }, include_state: true });
    assert.deepEqual(ids(res), [needle]);
    const ctx = res.results[0]!.context!;
    assert.deepEqual(ctx.events_before.map((e) => e.event_id), [c2, c1]);
    assert.deepEqual(ctx.events_after.map((e) => e.event_id), [c4]);
    assert.deepEqual(Object.keys(ctx.profile_info!).sort(), [alice.userId, bob.userId].sort());
    assert.deepEqual(ctx.profile_info![bob.userId], { displayname: 'Bobby', avatar_url: 'mxc://hs.test/bob' });
    // The tokens page on with /messages.
    const fwd = ok(await s.call('GET', `${V3}/rooms/${enc(roomId)}/messages?dir=f&limit=1&from=${enc(ctx.end)}`, { token: alice.accessToken }));
    assert.deepEqual((fwd.chunk as Ev[]).map((e) => e.event_id), [c5]);
    const back = ok(await s.call('GET', `${V3}/rooms/${enc(roomId)}/messages?dir=b&limit=1&from=${enc(ctx.start)}`, { token: alice.accessToken }));
    assert.deepEqual((back.chunk as Ev[]).map((e) => `${e.type}|${e.state_key ?? ''}`), [`m.room.member|${bob.userId}`]);

    assert.deepEqual(Object.keys(res.state!), [roomId]);
    const state = res.state![roomId]!;
    assert.equal(state.find((e) => e.type === 'm.room.name')!.content.name, 'Context room');
    assert.equal(state.find((e) => e.type === 'm.room.member' && e.state_key === bob.userId)!.content.displayname, 'Bobby');
    assert.equal(state.filter((e) => e.type === 'm.room.create').length, 1);

    // Defaults (5 each side), no profile unless asked; no context without event_context.
    const plain = await search(alice, { search_term: 'needle', event_context: {} });
    const p = plain.results[0]!.context!;
    assert.deepEqual([p.events_before.length, p.events_after.map((e) => e.event_id), p.profile_info], [5, [c4, c5], undefined]);
    assert.equal((await search(alice, { search_term: 'needle' })).results[0]!.context, undefined);
    const zero = await search(alice, { search_term: 'needle', event_context: { before_limit: 0, after_limit: 0 } });
    assert.deepEqual([zero.results[0]!.context!.events_before, zero.results[0]!.context!.events_after], [[], []]);
  });

  it('history visibility: joined history before a join, a left user, a stranger, a forgotten room', async () => {
    const joined = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }] });
    const secret = await send(alice, joined, 'kumquat secret');
    ok(await post(carol, `/join/${enc(joined)}`));
    const visible = await send(alice, joined, 'kumquat visible');
    await waitFor(alice, joined, visible);
    const carols = await search(carol, { search_term: 'kumquat', order_by: 'recent' });
    assert.deepEqual(ids(carols), [visible]);
    assert.equal(carols.count, 1);
    assert.deepEqual(ids(await search(alice, { search_term: 'kumquat', order_by: 'recent' })), [visible, secret]);
    // Hidden hits are skipped across pages too.
    const paged = await pageAll(carol, { search_term: 'kumquat', filter: { limit: 1 } });
    assert.deepEqual(paged.flatMap(ids), [visible]);

    const left = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(left)}`));
    const before = await send(alice, left, 'quince before');
    ok(await post(bob, `/rooms/${enc(left)}/leave`));
    const afterLeave = await send(alice, left, 'quince after');
    await waitFor(alice, left, afterLeave);
    const bobs = await search(bob, { search_term: 'quince', order_by: 'recent', include_state: true });
    assert.deepEqual([ids(bobs), bobs.count], [[before], 1]);
    // The state of a left room is the state at the leave.
    const member = bobs.state![left]!.find((e) => e.type === 'm.room.member' && e.state_key === bob.userId)!;
    assert.equal(member.content.membership, 'leave');

    const priv = await create(alice, { preset: 'private_chat' });
    const durian = await send(alice, priv, 'durian private');
    await waitFor(alice, priv, durian);
    const stranger = await search(carol, { search_term: 'durian' });
    assert.deepEqual([stranger.results, stranger.count], [[], 0]);
    assert.deepEqual(ids(await search(alice, { search_term: 'durian' })), [durian]);

    ok(await post(bob, `/rooms/${enc(left)}/forget`));
    assert.deepEqual(ids(await search(bob, { search_term: 'quince' })), []);
  });

  it('encrypted rooms are not searched', async () => {
    const roomId = await create(alice, { preset: 'private_chat', initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }] });
    const plain = await send(alice, roomId, 'plaintext papaya');
    await waitFor(alice, roomId, plain);
    const res = await search(alice, { search_term: 'papaya' });
    assert.deepEqual([res.results, res.count], [[], 0]);
  });

  it('a redaction removes its hit', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const kept = await send(alice, roomId, 'rutabaga kept');
    const gone = await send(alice, roomId, 'rutabaga gone');
    await waitFor(alice, roomId, gone);
    assert.deepEqual(ids(await search(alice, { search_term: 'rutabaga', order_by: 'recent' })), [gone, kept]);
    ok(await put(alice, `/rooms/${enc(roomId)}/redact/${enc(gone)}/r1`, { reason: 'oops' }));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await search(alice, { search_term: 'rutabaga', order_by: 'recent' });
      if (res.results.length === 1) {
        assert.deepEqual([ids(res), res.count], [[kept], 1]);
        break;
      }
      assert.ok(Date.now() < deadline, 'the redaction never reached the index');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('errors and empty answers', async () => {
    const bad = async (body: unknown, errcode: string, nextBatch?: string) => {
      const res = await searchRes(alice, body, nextBatch);
      assert.deepEqual([res.status, res.body.errcode], [400, errcode], JSON.stringify(body));
    };
    const re = (criteria: Record<string, unknown>) => ({ search_categories: { room_events: criteria } });
    await bad(re({ keys: ['content.body'] }), 'M_MISSING_PARAM');
    await bad({}, 'M_MISSING_PARAM');
    await bad(re({ search_term: 5 }), 'M_BAD_JSON');
    await bad(re({ search_term: 'x', keys: ['content.url'] }), 'M_BAD_JSON');
    await bad(re({ search_term: 'x', order_by: 'oldest' }), 'M_BAD_JSON');
    await bad(re({ search_term: 'x', groupings: { group_by: [{ key: 'type' }] } }), 'M_BAD_JSON');
    await bad(re({ search_term: 'x', event_context: { before_limit: -1 } }), 'M_INVALID_PARAM');
    await bad(re({ search_term: 'x', filter: { limit: 0 } }), 'M_INVALID_PARAM');
    await bad(re({ search_term: 'x', filter: { senders: 'nope' } }), 'M_BAD_JSON');
    await bad(re({ search_term: 'x' }), 'M_INVALID_PARAM', 'garbage!');
    await bad(re({ search_term: 'x' }), 'M_INVALID_PARAM', 'eyJvIjoicmFuayJ9');

    // A token of a search in the other order.
    const roomId = await create(alice, { preset: 'public_chat' });
    await send(alice, roomId, 'lychee one');
    const last = await send(alice, roomId, 'lychee two');
    await waitFor(alice, roomId, last);
    const page = await search(alice, { search_term: 'lychee', filter: { limit: 1 } });
    await bad(re({ search_term: 'lychee', order_by: 'recent', filter: { limit: 1 } }), 'M_INVALID_PARAM', page.next_batch);

    assert.deepEqual(ok(await searchRes(alice, { search_categories: {} })), { search_categories: {} });
    assert.deepEqual(ok(await searchRes(alice, { search_categories: { unknown_category: { search_term: 'x' } } })), { search_categories: {} });
    for (const term of ['', '!!! ...']) {
      const empty = await search(alice, { search_term: term });
      assert.deepEqual(empty, { results: [], count: 0, highlights: [] });
    }
    const anon = await s.call('POST', `${V3}/search`, { body: re({ search_term: 'x' }) });
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});
