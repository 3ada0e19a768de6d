/**
 * `/messages` and `/context` served by the syncapi in its own process, behind the nginx sample, on
 * PostgreSQL and NATS: nginx routes both paths there, and history visibility is asked of the
 * roomserver process over inthttp (a `joined` room hides what came before the reader's join).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { polylithSkip, startPolylith, SYNC_POLYLITH, type Polylith } from '../harness/polylith.js';

const skip = polylithSkip();

type Ev = { event_id: string; type: string; state_key?: string; content: Record<string, unknown> };

describe('/messages and /context in a polylith', { skip }, () => {
  let poly: Polylith;
  before(async () => {
    poly = await startPolylith(SYNC_POLYLITH);
  });
  after(async () => poly?.stop());

  const call = async (method: string, path: string, token?: string, body?: unknown, status = 200) => {
    const res = await fetch(`${poly.publicUrl}/_matrix/client/v3${path}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, status, JSON.stringify(json));
    return json;
  };

  it('pages a room across processes, history visibility asked of the roomserver', async () => {
    const register = async (username: string) => String((await call('POST', '/register', undefined, { username, password: 'correct horse battery', auth: { type: 'm.login.dummy' } })).access_token);
    const [alice, bob] = [await register('pager'), await register('reader')];
    const roomId = encodeURIComponent(
      String((await call('POST', '/createRoom', alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }] })).room_id),
    );
    const send = async (body: string, txn: string) => String((await call('PUT', `/rooms/${roomId}/send/m.room.message/${txn}`, alice, { msgtype: 'm.text', body })).event_id);
    const secret = await send('secret', 's1');
    await call('POST', `/rooms/${roomId}/join`, bob, {});
    const visible = await send('visible', 's2');

    let chunk: Ev[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      chunk = (await call('GET', `/rooms/${roomId}/messages?dir=b&limit=3`, bob)).chunk as Ev[];
      if (chunk[0]?.event_id === visible) break;
    }
    // The secret lies between the history visibility event and bob's join: hidden, so the page reaches past it.
    assert.deepEqual(
      chunk.map((e) => e.content.body ?? `${e.type}|${e.state_key}`),
      ['visible', `m.room.member|${chunk[1]?.state_key}`, 'm.room.history_visibility|'],
    );
    assert.equal(chunk[1]!.content.membership, 'join');
    const all = (await call('GET', `/rooms/${roomId}/messages?dir=f&limit=50`, alice)).chunk as Ev[];
    assert.ok(all.some((e) => e.event_id === secret));
    await call('GET', `/rooms/${roomId}/context/${encodeURIComponent(secret)}`, bob, undefined, 404);
    const ctx = await call('GET', `/rooms/${roomId}/context/${encodeURIComponent(visible)}?limit=2`, bob);
    assert.deepEqual((ctx.events_before as Ev[]).map((e) => e.content.membership), ['join']);
  });
});
