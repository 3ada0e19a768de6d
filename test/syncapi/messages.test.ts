/**
 * `GET /rooms/{roomId}/messages` and `GET /rooms/{roomId}/context/{eventId}` over real HTTP against
 * an in-process monolith: paging a 500-message room back from a sync's `prev_batch` (every event
 * once, in order, `end` absent at the start), forwards from a token, `to` (the gap of a limited
 * sync both ways), filters, lazy-loaded members, history visibility (`joined`, a left user, a
 * stranger, a world-readable room), redactions, `unsigned`, `/context` with its split limit,
 * state and tokens, and the errors.
 *
 * The syncapi consumes the roomserver's output asynchronously: `waitFor` pages until the newest
 * event a test sent is there before it asserts anything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, type ClientTestServer, type TestUser } from '../clientapi/client-test-server.js';
import { enc, startWithUsers, syncCalls, V3, type ContextBody, type ServedEvent as Ev } from './syncapi-http-kit.js';

interface MessagesBody {
  start: string;
  end?: string;
  chunk: Ev[];
  state?: Ev[];
}

describe('syncapi: /messages and /context', () => {
  let s: ClientTestServer;
  let alice: TestUser, bob: TestUser, carol: TestUser;
  before(async () => {
    ({ server: s, users: [alice, bob, carol] } = await startWithUsers(['alice', 'bob', 'carol'], { registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } }));
  });
  after(() => s.stop());

  const { ok, post, put, create, sendText: send, waitFor } = syncCalls(() => s);
  const setName = async (u: TestUser, roomId: string, name: string): Promise<string> => String(ok(await put(u, `/rooms/${enc(roomId)}/state/m.room.name/`, { name })).event_id);
  const query = (params: Record<string, string | number | undefined>) => {
    const qs = new URLSearchParams(Object.entries(params).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]]))).toString();
    return qs ? `?${qs}` : '';
  };
  const messagesRes = (u: TestUser, roomId: string, params: Record<string, string | number | undefined>) =>
    s.call('GET', `${V3}/rooms/${enc(roomId)}/messages${query(params)}`, { token: u.accessToken });
  const messages = async (u: TestUser, roomId: string, params: Record<string, string | number | undefined>): Promise<MessagesBody> =>
    ok(await messagesRes(u, roomId, params)) as unknown as MessagesBody;
  const contextRes = (u: TestUser, roomId: string, eventId: string, params: Record<string, string | number | undefined> = {}) =>
    s.call('GET', `${V3}/rooms/${enc(roomId)}/context/${enc(eventId)}${query(params)}`, { token: u.accessToken });
  const context = async (u: TestUser, roomId: string, eventId: string, params: Record<string, string | number | undefined> = {}): Promise<ContextBody> =>
    ok(await contextRes(u, roomId, eventId, params)) as unknown as ContextBody;
  /** Pages from `from` in `dir` until `end` is absent; every page and the concatenated chunks. */
  const pageAll = async (u: TestUser, roomId: string, params: Record<string, string | number | undefined>): Promise<{ pages: MessagesBody[]; ids: string[] }> => {
    const pages: MessagesBody[] = [];
    let from = params.from;
    for (let i = 0; i < 200; i++) {
      const page = await messages(u, roomId, { ...params, from });
      pages.push(page);
      if (page.end === undefined) return { pages, ids: pages.flatMap((p) => p.chunk.map((e) => e.event_id)) };
      from = page.end;
    }
    assert.fail('pagination never ended');
  };
  const labels = (events: Ev[]) => events.map((e) => (e.type === 'm.room.message' ? String(e.content.body) : `${e.type}|${e.state_key ?? ''}`));

  describe('a room of 500 messages', () => {
    let roomId: string;
    const sent: string[] = [];
    let prevBatch: string;
    let timelineIds: string[];
    before(async () => {
      roomId = await create(alice);
      for (let i = 0; i < 500; i++) sent.push(await send(alice, roomId, `m${i}`));
      const filter = JSON.stringify({ room: { timeline: { limit: 10 } } });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const res = ok(await s.call('GET', `${V3}/sync?filter=${enc(filter)}`, { token: alice.accessToken })) as { rooms: { join: Record<string, { timeline: { events: Ev[]; prev_batch: string } }> } };
        const timeline = res.rooms.join[roomId]?.timeline;
        if (timeline !== undefined && timeline.events.at(-1)?.event_id === sent.at(-1)) {
          prevBatch = timeline.prev_batch;
          timelineIds = timeline.events.map((e) => e.event_id);
          break;
        }
        assert.ok(Date.now() < deadline, 'the messages never reached sync');
        await new Promise((r) => setTimeout(r, 50));
      }
    });

    it('back from a sync prev_batch with limit 37: every event once, in order, end absent at the start', async () => {
      assert.deepEqual(timelineIds, sent.slice(490));
      const { pages, ids } = await pageAll(alice, roomId, { dir: 'b', from: prevBatch, limit: 37 });
      // 490 messages and the room's 6 creation events.
      assert.equal(ids.length, 496);
      assert.equal(new Set(ids).size, 496);
      assert.deepEqual(ids.slice(0, 490), sent.slice(0, 490).reverse());
      const creation = pages.at(-1)!.chunk.slice(-6).reverse();
      assert.deepEqual(labels(creation), ['m.room.create|', `m.room.member|${alice.userId}`, 'm.room.power_levels|', 'm.room.join_rules|', 'm.room.history_visibility|', 'm.room.guest_access|']);
      assert.equal(pages.length, 14);
      assert.deepEqual(pages.map((p) => p.chunk.length), [...Array<number>(13).fill(37), 496 - 13 * 37]);
      assert.equal(pages[0]!.start, prevBatch);
      for (const [i, p] of pages.entries()) {
        if (i > 0) assert.equal(p.start, pages[i - 1]!.end);
        if (i < pages.length - 1) assert.match(p.end!, /^t\d+_\d+$/);
      }
      assert.equal(pages.at(-1)!.end, undefined);
      // Without `from`: from the present, the timeline's events first.
      const latest = await messages(alice, roomId, { dir: 'b', limit: 12 });
      assert.deepEqual(latest.chunk.map((e) => e.event_id), sent.slice(488).reverse());
      assert.match(latest.start, /^s\d+$/);
      const again = await messages(alice, roomId, { dir: 'b', from: latest.end, limit: 3 });
      assert.deepEqual(again.chunk.map((e) => e.event_id), sent.slice(485, 488).reverse());
    });

    it('forwards from a backward token, to the present, and from the start without `from`', async () => {
      const back = await messages(alice, roomId, { dir: 'b', from: prevBatch, limit: 100 });
      // The backward `end` lies just before the oldest event returned: forwards from it, that event comes first.
      assert.equal(back.chunk.at(-1)!.event_id, sent[390]);
      const { pages, ids } = await pageAll(alice, roomId, { dir: 'f', from: back.end, limit: 50 });
      assert.deepEqual(ids, sent.slice(390));
      assert.equal(pages.length, 3);
      assert.equal(pages[0]!.start, back.end);
      const fromStart = await messages(alice, roomId, { dir: 'f', limit: 8 });
      assert.equal(fromStart.start, 't0_0');
      assert.deepEqual(labels(fromStart.chunk).slice(0, 1), ['m.room.create|']);
      assert.deepEqual(fromStart.chunk.slice(6).map((e) => e.event_id), sent.slice(0, 2));
      const next = await messages(alice, roomId, { dir: 'f', from: fromStart.end, limit: 2 });
      assert.deepEqual(next.chunk.map((e) => e.event_id), sent.slice(2, 4));
      // The present: forwards from a sync's next_batch, nothing and no end.
      const sync = ok(await s.call('GET', `${V3}/sync?filter=${enc(JSON.stringify({ room: { timeline: { limit: 1 } } }))}`, { token: alice.accessToken }));
      const now = await messages(alice, roomId, { dir: 'f', from: String(sync.next_batch) });
      assert.deepEqual([now.chunk, now.end, now.start], [[], undefined, sync.next_batch]);
    });

    it('`to` stops a page at its point, and ends the pagination there', async () => {
      const first = await messages(alice, roomId, { dir: 'b', from: prevBatch, limit: 20 });
      const second = await messages(alice, roomId, { dir: 'b', from: first.end, limit: 20 });
      const bounded = await pageAll(alice, roomId, { dir: 'b', from: prevBatch, to: second.end, limit: 15 });
      assert.deepEqual(bounded.ids, sent.slice(450, 490).reverse());
      assert.equal(bounded.pages.length, 3);
      const fwd = await pageAll(alice, roomId, { dir: 'f', from: second.end, to: prevBatch, limit: 100 });
      assert.deepEqual(fwd.ids, sent.slice(450, 490));
      assert.equal(fwd.pages.length, 1);
    });
  });

  it('fills the gap of a limited sync: from=since to=prev_batch, both ways', async () => {
    const roomId = await create(alice);
    const first = await send(alice, roomId, 'before');
    await waitFor(alice, roomId, first);
    const since = String(ok(await s.call('GET', `${V3}/sync`, { token: alice.accessToken })).next_batch);
    const gap: string[] = [];
    for (let i = 0; i < 12; i++) gap.push(await send(alice, roomId, `g${i}`));
    await waitFor(alice, roomId, gap.at(-1)!);
    const filter = JSON.stringify({ room: { timeline: { limit: 4 } } });
    const inc = ok(await s.call('GET', `${V3}/sync?since=${enc(since)}&filter=${enc(filter)}`, { token: alice.accessToken })) as {
      rooms: { join: Record<string, { timeline: { events: Ev[]; limited: boolean; prev_batch: string } }> };
    };
    const timeline = inc.rooms.join[roomId]!.timeline;
    assert.equal(timeline.limited, true);
    assert.deepEqual(timeline.events.map((e) => e.event_id), gap.slice(8));
    const fwd = await messages(alice, roomId, { dir: 'f', from: since, to: timeline.prev_batch, limit: 50 });
    assert.deepEqual(fwd.chunk.map((e) => e.event_id), gap.slice(0, 8));
    assert.equal(fwd.end, undefined);
    const back = await messages(alice, roomId, { dir: 'b', from: timeline.prev_batch, to: since, limit: 50 });
    assert.deepEqual(back.chunk.map((e) => e.event_id), gap.slice(0, 8).reverse());
    assert.equal(back.end, undefined);
  });

  it('filters: types, not_senders, contains_url, and the filter limit', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const a1 = await send(alice, roomId, 'a1');
    await send(bob, roomId, 'b1');
    await setName(alice, roomId, 'Filtered');
    const a2 = await send(alice, roomId, 'a2', { url: 'mxc://hs/file' });
    const last = await send(bob, roomId, 'b2');
    await waitFor(alice, roomId, last);
    const only = await messages(alice, roomId, { dir: 'b', filter: JSON.stringify({ types: ['m.room.message'], not_senders: [bob.userId] }) });
    assert.deepEqual(only.chunk.map((e) => e.event_id), [a2, a1]);
    assert.equal(only.end, undefined);
    const wildcard = await messages(alice, roomId, { dir: 'f', filter: JSON.stringify({ types: ['m.room.n*'] }) });
    assert.deepEqual(labels(wildcard.chunk), ['m.room.name|']);
    const urls = await messages(alice, roomId, { dir: 'b', filter: JSON.stringify({ contains_url: true }) });
    assert.deepEqual(urls.chunk.map((e) => e.event_id), [a2]);
    const limited = await messages(alice, roomId, { dir: 'b', limit: 10, filter: JSON.stringify({ senders: [bob.userId], limit: 1 }) });
    assert.deepEqual(labels(limited.chunk), ['b2']);
    assert.ok(limited.end !== undefined);
    const bad = await messagesRes(alice, roomId, { dir: 'b', filter: '{nope' });
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_NOT_JSON']);
  });

  it('lazy_load_members: state carries the members of the chunk senders only', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    ok(await post(carol, `/join/${enc(roomId)}`));
    ok(await put(bob, `/rooms/${enc(roomId)}/state/m.room.member/${enc(bob.userId)}`, { membership: 'join', displayname: 'Bobby' }));
    await send(alice, roomId, 'a');
    const last = await send(bob, roomId, 'b');
    await waitFor(alice, roomId, last);
    const filter = JSON.stringify({ lazy_load_members: true, types: ['m.room.message'] });
    const page = await messages(carol, roomId, { dir: 'b', limit: 2, filter });
    assert.deepEqual(labels(page.chunk), ['b', 'a']);
    const state = page.state ?? [];
    assert.deepEqual(state.map((e) => `${e.type}|${e.state_key}`).sort(), [`m.room.member|${alice.userId}`, `m.room.member|${bob.userId}`].sort());
    assert.equal(state.find((e) => e.state_key === bob.userId)!.content.displayname, 'Bobby');
    const plain = await messages(carol, roomId, { dir: 'b', limit: 2 });
    assert.equal(plain.state, undefined);
  });

  it('history visibility `joined`: events before the join are left out, the rest paged', async () => {
    const roomId = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }] });
    const secret = await send(alice, roomId, 'secret 1');
    await send(alice, roomId, 'secret 2');
    ok(await post(carol, `/join/${enc(roomId)}`));
    const visible = await send(alice, roomId, 'visible');
    await waitFor(carol, roomId, visible);
    const { ids, pages } = await pageAll(carol, roomId, { dir: 'b', limit: 3 });
    const chunk = pages.flatMap((p) => p.chunk);
    assert.deepEqual(labels(chunk).reverse(), [
      'm.room.create|',
      `m.room.member|${alice.userId}`,
      'm.room.power_levels|',
      'm.room.join_rules|',
      'm.room.guest_access|',
      'm.room.history_visibility|',
      `m.room.member|${carol.userId}`,
      'visible',
    ]);
    assert.equal(ids.includes(secret), false);
    // Alice, joined throughout, sees the secrets.
    const all = await pageAll(alice, roomId, { dir: 'f', limit: 100 });
    assert.deepEqual(labels(all.pages.flatMap((p) => p.chunk)).filter((l) => !l.includes('|')), ['secret 1', 'secret 2', 'visible']);
    // /context of a hidden event is 404 for carol.
    const hidden = await contextRes(carol, roomId, secret);
    assert.deepEqual([hidden.status, hidden.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('a left user pages up to their leave and no further; a stranger is refused; world-readable rooms are open', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const seen = await send(alice, roomId, 'seen');
    ok(await post(bob, `/rooms/${enc(roomId)}/leave`));
    const unseen = await send(alice, roomId, 'unseen');
    await waitFor(alice, roomId, unseen);
    const back = await messages(bob, roomId, { dir: 'b', limit: 2 });
    assert.deepEqual(labels(back.chunk), [`m.room.member|${bob.userId}`, 'seen']);
    assert.equal(back.chunk[0]!.content.membership, 'leave');
    // From a token past the leave (alice's present), still nothing after it.
    const latest = await messages(alice, roomId, { dir: 'b', limit: 1 });
    const capped = await messages(bob, roomId, { dir: 'b', from: latest.start, limit: 1 });
    assert.deepEqual(labels(capped.chunk), [`m.room.member|${bob.userId}`]);
    const fwd = await pageAll(bob, roomId, { dir: 'f', limit: 100 });
    assert.deepEqual(labels(fwd.pages.flatMap((p) => p.chunk)).slice(-2), ['seen', `m.room.member|${bob.userId}`]);
    assert.equal(fwd.ids.includes(unseen), false);
    assert.equal(fwd.ids.includes(seen), true);
    const ctx = await contextRes(bob, roomId, unseen);
    assert.deepEqual([ctx.status, ctx.body.errcode], [404, 'M_NOT_FOUND']);
    const seenCtx = await context(bob, roomId, seen, { limit: 10 });
    assert.deepEqual(labels(seenCtx.events_after), [`m.room.member|${bob.userId}`]);

    const stranger = await messagesRes(carol, roomId, { dir: 'b' });
    assert.deepEqual([stranger.status, stranger.body.errcode], [403, 'M_FORBIDDEN']);
    const strangerCtx = await contextRes(carol, roomId, seen);
    assert.deepEqual([strangerCtx.status, strangerCtx.body.errcode], [403, 'M_FORBIDDEN']);

    const open = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'world_readable' } }] });
    const hello = await send(alice, open, 'hello world');
    await waitFor(alice, open, hello);
    const peek = await messages(carol, open, { dir: 'b', limit: 1 });
    assert.deepEqual(peek.chunk.map((e) => e.event_id), [hello]);
  });

  it('serves redacted events redacted, with age and the sender device transaction ID', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const eventId = await send(alice, roomId, 'oops');
    const redaction = String(ok(await put(alice, `/rooms/${enc(roomId)}/redact/${enc(eventId)}/r1`, { reason: 'typo' })).event_id);
    const kept = String(ok(await put(alice, `/rooms/${enc(roomId)}/send/m.room.message/own-txn`, { msgtype: 'm.text', body: 'kept' })).event_id);
    await waitFor(alice, roomId, kept);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const page = await messages(alice, roomId, { dir: 'b', limit: 3 });
      const ev = page.chunk.find((e) => e.event_id === eventId)!;
      if (ev.unsigned?.redacted_because !== undefined) {
        assert.deepEqual(ev.content, {});
        assert.equal((ev.unsigned.redacted_because as Ev).event_id, redaction);
        assert.deepEqual(page.chunk.map((e) => e.event_id), [kept, redaction, eventId]);
        const own = page.chunk[0]!;
        assert.equal(own.unsigned!.transaction_id, 'own-txn');
        assert.equal(typeof own.unsigned!.age, 'number');
        assert.ok((own.unsigned!.age as number) >= 0 && (own.unsigned!.age as number) < 60_000);
        assert.equal(own.room_id, roomId);
        for (const k of ['auth_events', 'prev_events', 'hashes', 'signatures', 'depth']) assert.equal(k in own, false, k);
        break;
      }
      assert.ok(Date.now() < deadline, 'the redaction never reached /messages');
      await new Promise((r) => setTimeout(r, 25));
    }
    const bobs = await messages(bob, roomId, { dir: 'b', limit: 1 });
    assert.equal(bobs.chunk[0]!.unsigned!.transaction_id, undefined);
    const ctx = await context(bob, roomId, eventId, { limit: 0 });
    assert.deepEqual(ctx.event.content, {});
  });

  it('/context: the limit split before and after, the state at the last event, tokens for /messages, the filter', async () => {
    const roomId = await create(alice, { preset: 'public_chat', name: 'N1' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const m: string[] = [];
    for (let i = 1; i <= 5; i++) m.push(await send(alice, roomId, `m${i}`));
    const rename = await setName(alice, roomId, 'N2');
    for (let i = 6; i <= 9; i++) m.push(await send(bob, roomId, `m${i}`));
    await waitFor(alice, roomId, m.at(-1)!);

    const c = await context(alice, roomId, m[4]!, { limit: 4 });
    assert.equal(c.event.event_id, m[4]);
    assert.deepEqual(c.events_before.map((e) => e.event_id), [m[3], m[2]]);
    assert.deepEqual(c.events_after.map((e) => e.event_id), [rename, m[5]]);
    const name = (state: Ev[]) => state.find((e) => e.type === 'm.room.name')?.content.name;
    assert.equal(name(c.state), 'N2');
    assert.deepEqual(
      c.state.map((e) => `${e.type}|${e.state_key}`).sort(),
      ['m.room.create|', 'm.room.guest_access|', 'm.room.history_visibility|', 'm.room.join_rules|', `m.room.member|${alice.userId}`, `m.room.member|${bob.userId}`, 'm.room.name|', 'm.room.power_levels|'].sort(),
    );
    const earlier = await context(alice, roomId, m[1]!, { limit: 3 });
    assert.deepEqual(earlier.events_before.map((e) => e.event_id), [m[0]]);
    assert.deepEqual(earlier.events_after.map((e) => e.event_id), [m[2], m[3]]);
    assert.equal(name(earlier.state), 'N1');
    // The tokens continue with /messages.
    assert.deepEqual((await messages(alice, roomId, { dir: 'b', from: c.start, limit: 2 })).chunk.map((e) => e.event_id), [m[1], m[0]]);
    assert.deepEqual((await messages(alice, roomId, { dir: 'f', from: c.end, limit: 2 })).chunk.map((e) => e.event_id), [m[6], m[7]]);
    // The default limit (10): 5 before, 5 after — and at the room's end only 3 after.
    const last = await context(alice, roomId, m[5]!);
    assert.equal(last.events_before.length, 5);
    assert.deepEqual(last.events_after.map((e) => e.event_id), m.slice(6));
    const zero = await context(alice, roomId, m[4]!, { limit: 0 });
    assert.deepEqual([zero.events_before, zero.events_after, zero.event.event_id], [[], [], m[4]]);

    // The filter: on the lists and the state, not on the event itself.
    const filtered = await context(alice, roomId, rename, { limit: 4, filter: JSON.stringify({ types: ['m.room.message'], not_senders: [bob.userId] }) });
    assert.equal(filtered.event.event_id, rename);
    assert.deepEqual(filtered.events_before.map((e) => e.event_id), [m[4], m[3]]);
    assert.deepEqual(filtered.events_after, []);
    assert.deepEqual(filtered.state, []);
    // Lazy members: the non-member state, and only the senders' members.
    const lazy = await context(alice, roomId, m[1]!, { limit: 2, filter: JSON.stringify({ lazy_load_members: true }) });
    assert.deepEqual(
      lazy.state.filter((e) => e.type === 'm.room.member').map((e) => e.state_key),
      [alice.userId],
    );
    assert.equal(name(lazy.state), 'N1');
  });

  it('errors: unknown event or room mismatch 404, bad tokens and parameters 400', async () => {
    const roomId = await create(alice);
    const other = await create(alice);
    const ev = await send(alice, other, 'elsewhere');
    await waitFor(alice, other, ev);
    const unknown = await contextRes(alice, roomId, '$nope');
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    const mismatch = await contextRes(alice, roomId, ev);
    assert.deepEqual([mismatch.status, mismatch.body.errcode], [404, 'M_NOT_FOUND']);
    for (const from of ['garbage', 't1', 's1_x']) {
      const res = await messagesRes(alice, roomId, { dir: 'b', from });
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM'], from);
    }
    const negative = await messagesRes(alice, roomId, { dir: 'b', limit: -1 });
    assert.deepEqual([negative.status, negative.body.errcode], [400, 'M_INVALID_PARAM']);
    const noDir = await messagesRes(alice, roomId, {});
    assert.equal(noDir.status, 400);
    const anon = await s.call('GET', `${V3}/rooms/${enc(roomId)}/messages?dir=b`);
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});
