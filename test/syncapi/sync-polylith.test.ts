/**
 * The syncapi as its own process: roomserver, userapi, syncapi and clientapi in four processes on
 * PostgreSQL and NATS behind the nginx sample. A room created through the clientapi reaches the
 * syncapi over the bus, `/sync` (routed by nginx) reads it calling the other processes over
 * inthttp, and a long-poll is woken by a message sent through the clientapi process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { polylithSkip, startPolylith, SYNC_POLYLITH, type Polylith } from '../harness/polylith.js';

const skip = polylithSkip();

interface SyncBody {
  next_batch: string;
  rooms: { join: Record<string, { timeline: { events: Array<{ event_id: string; type: string; content: Record<string, unknown> }> } }> };
}

describe('syncapi in a polylith', { skip }, () => {
  let poly: Polylith;
  before(async () => {
    poly = await startPolylith(SYNC_POLYLITH);
  });
  after(async () => poly?.stop());

  it('syncs a room created through another process and wakes a long-poll', async () => {
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${poly.publicUrl}/_matrix/client/v3${path}`, {
        method,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, 200, JSON.stringify(json));
      return json;
    };
    const reg = await call('POST', '/register', undefined, { username: 'syncer', password: 'correct horse battery', auth: { type: 'm.login.dummy' } });
    const token = String(reg.access_token);
    const roomId = String((await call('POST', '/createRoom', token, { name: 'polylith sync' })).room_id);

    let first: SyncBody | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      // `set_presence=offline`: a presence change of the syncer's own would end the poll below early.
      first = (await call('GET', '/sync?set_presence=offline', token)) as unknown as SyncBody;
      if (first.rooms.join[roomId]?.timeline.events.some((e) => e.type === 'm.room.name')) break;
    }
    assert.ok(first?.rooms.join[roomId], 'the room reached the syncapi process');

    const t0 = Date.now();
    const poll = call('GET', `/sync?since=${first.next_batch}&timeout=15000&set_presence=offline`, token) as unknown as Promise<SyncBody>;
    await new Promise((r) => setTimeout(r, 300));
    const sent = await call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/p1`, token, { msgtype: 'm.text', body: 'across' });
    const woken = await poll;
    assert.ok(Date.now() - t0 < 5_000, `took ${Date.now() - t0} ms`);
    assert.deepEqual(woken.rooms.join[roomId]!.timeline.events.map((e) => e.event_id), [sent.event_id]);
  });
});
