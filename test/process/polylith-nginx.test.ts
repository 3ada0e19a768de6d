/**
 * The polylith harness: roomserver, userapi and clientapi as separate processes on PostgreSQL and
 * NATS, behind the shipped nginx sample; a client request through nginx reaches clientapi, which
 * calls the userapi and roomserver in the other processes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderNginxSample } from '../harness/nginx-server.js';
import { POLYLITH_SECRET, polylithSkip, startPolylith, type Polylith } from '../harness/polylith.js';
import { SHARED_SECRET_HEADER } from '../../src/internal/rpc/rpc-protocol.js';
import { startAxon } from '../harness/spawn-axon.js';
import { join } from 'node:path';

const skip = polylithSkip();

describe('polylith behind nginx', { skip }, () => {
  let poly: Polylith;
  before(async () => {
    poly = await startPolylith([
      { name: 'room', components: ['roomserver'] },
      { name: 'user', components: ['userapi'] },
      { name: 'client', components: ['clientapi'] },
    ]);
  });
  after(async () => poly?.stop());

  it('routes client requests through nginx to clientapi', async () => {
    const res = await fetch(`${poly.publicUrl}/_matrix/client/versions`);
    assert.equal(res.status, 200);
    assert.ok(((await res.json()) as { versions: string[] }).versions.includes('v1.1'));
    const cors = await fetch(`${poly.publicUrl}/_matrix/client/v3/login`, { method: 'OPTIONS' });
    assert.equal(cors.headers.get('access-control-allow-origin'), '*');
  });

  it('registers a user and creates a room through nginx, clientapi, the userapi and the roomserver processes', async () => {
    const reg = await fetch(`${poly.publicUrl}/_matrix/client/v3/register`, {
      method: 'POST',
      body: JSON.stringify({ username: 'poly', password: 'correct horse battery', auth: { type: 'm.login.dummy' } }),
    });
    assert.equal(reg.status, 200, await reg.clone().text());
    const { access_token: token, user_id: userId } = (await reg.json()) as { access_token: string; user_id: string };
    assert.equal(userId, '@poly:polylith.test');
    const who = await fetch(`${poly.publicUrl}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(((await who.json()) as { user_id: string }).user_id, userId);

    // A room created through the clientapi process lives in the roomserver process.
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${poly.publicUrl}/_matrix/client/v3/createRoom`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'across processes', preset: 'public_chat' }),
    });
    assert.equal(created.status, 200, await created.clone().text());
    const { room_id: roomId } = (await created.json()) as { room_id: string };
    const sent = await fetch(`${poly.publicUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t1`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ msgtype: 'm.text', body: 'hello' }),
    });
    assert.equal(sent.status, 200, await sent.clone().text());
    const name = await fetch(`${poly.publicUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.name/`, { headers: auth });
    assert.deepEqual(await name.json(), { name: 'across processes' });
  });

  it('has each process report healthy on its internal listener', async () => {
    for (const [name, p] of poly.processes) {
      // Peers are probed every few seconds; a probe that timed out under load clears on the next.
      const h = await waitFor(
        async () => {
          const res = await fetch(`${p.internalUrl}/health`);
          return { status: res.status, text: await res.text() };
        },
        (v) => v.status === 200,
      );
      assert.deepEqual(h, { status: 200, text: 'OK' }, name);
    }
  });

  it('serves the userapi internal API only on the userapi process, behind the shared secret', async () => {
    const call = (proc: string, secret?: string) =>
      fetch(`${poly.processes.get(proc)!.internalUrl}/_axon/internal/userapi/queryAccountAvailability`, {
        method: 'POST',
        headers: secret ? { [SHARED_SECRET_HEADER]: secret } : {},
        body: JSON.stringify({ localpart: 'nobody' }),
      });
    assert.equal((await call('user')).status, 401);
    assert.equal((await call('user', 'wrong-secret')).status, 403);
    const ok = await call('user', POLYLITH_SECRET);
    assert.deepEqual(await ok.json(), { available: true });
    assert.equal((await call('client', POLYLITH_SECRET)).status, 404, 'the clientapi process does not serve the userapi');
  });

  it('reports unhealthy while a peer process is down, and recovers when it is back', async () => {
    const client = poly.processes.get('client')!;
    await poly.processes.get('user')!.stop('SIGKILL');
    const health = async () => {
      const res = await fetch(`${client.internalUrl}/health`);
      return { status: res.status, text: await res.text() };
    };
    const down = await waitFor(health, (h) => h.status === 503);
    assert.match(down.text, /peer userapi at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
    const restarted = await startAxon(['--config', join(poly.configDir, 'user.yaml'), '--components', 'userapi']);
    (poly.processes as Map<string, typeof restarted>).set('user', restarted);
    assert.equal((await waitFor(health, (h) => h.status === 200)).text, 'OK');
  });
});

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the nginx sample', () => {
  it('has an upstream for each public component and sends paths to the right one', () => {
    const text = renderNginxSample(9999, {
      clientapi: '127.0.0.1:1',
      syncapi: '127.0.0.1:2',
      mediaapi: '127.0.0.1:3',
      federationapi: '127.0.0.1:4',
    });
    assert.match(text, /listen 127\.0\.0\.1:9999;/);
    assert.match(text, /upstream axon_syncapi\s+\{ server 127\.0\.0\.1:2;/);
    assert.match(text, /location \/_matrix\/federation\/ \{\s+proxy_pass http:\/\/axon_federationapi/);
    assert.match(text, /location \/_matrix\/media\/ \{\s+proxy_pass http:\/\/axon_mediaapi/);
    assert.match(text, /\(sync\|events\|events\/\[\^\/\]\+\|initialSync\|notifications\|keys\/changes\|search\)\$ \{\s+proxy_pass http:\/\/axon_syncapi/);
  });
});
