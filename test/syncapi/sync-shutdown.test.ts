/**
 * Stopping a server answers its long-polls instead of waiting out their timeout: the listeners'
 * close waits for requests in flight, and a client may hold `/sync?timeout=…` for minutes.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startClientTestServer } from '../clientapi/client-test-server.js';

it('stops within seconds while a 60 s long-poll is held, answering it with 200', { timeout: 30_000 }, async () => {
  const server = await startClientTestServer();
  const alice = await server.register('alice');
  // `set_presence=offline`: her syncs must not set a presence that would end the poll early.
  const first = await server.call('GET', '/_matrix/client/v3/sync?set_presence=offline', { token: alice.accessToken });
  assert.equal(first.status, 200);
  const since = encodeURIComponent(String(first.body.next_batch));
  const poll = server.call('GET', `/_matrix/client/v3/sync?timeout=60000&since=${since}&set_presence=offline`, { token: alice.accessToken });
  await new Promise((r) => setTimeout(r, 300)); // let the poll park
  const t0 = Date.now();
  await server.stop();
  const stoppedIn = Date.now() - t0;
  const res = await poll;
  assert.equal(res.status, 200);
  assert.equal(res.body.next_batch, first.body.next_batch);
  assert.ok(stoppedIn < 10_000, `stop took ${stoppedIn} ms`);
});
