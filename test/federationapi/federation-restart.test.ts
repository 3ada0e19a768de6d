/**
 * What a restart or an outage must not lose between two federating Axon servers: B restarts
 * right after its user sent a message (the message waits in B's persisted queue and reaches A
 * after the restart; B keeps its history), and B is down while A's user talks (A's queue backs
 * off, then delivers everything, in order, as soon as B is heard from again).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, type TestUser } from '../clientapi/client-test-server.js';
import { startRestartableServer, type RestartableServer } from '../harness/restartable-federated-server.js';
import { createTestCa, opensslUnavailableReason, type TestCa } from '../harness/start-federated-pair-pki.js';
import { eventually, recentEvents, seesMessage, send } from './federated-room-kit.js';

const skip = opensslUnavailableReason();
if (skip) console.log(`# skipping the federation restart tests: ${skip}`);

describe('federation across a restart and an outage', { skip, timeout: 180_000 }, () => {
  let ca: TestCa;
  let a: RestartableServer;
  let b: RestartableServer;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: string;

  before(async () => {
    ca = createTestCa();
    a = await startRestartableServer('a', '127.0.0.1', ca);
    b = await startRestartableServer('b', '127.0.0.2', ca);
    alice = await a.client.register('alice');
    bob = await b.client.register('bob');
    roomId = okBody(await a.client.call('POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: { preset: 'public_chat' } })).room_id as string;
    const joined = await b.client.call('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?via=${encodeURIComponent(a.serverName)}`, { token: bob.accessToken, body: {} });
    okBody(joined);
    await send(a, alice, roomId, 'welcome');
    await seesMessage(b, bob, roomId, 'welcome');
  });
  after(async () => {
    await b?.dispose();
    await a?.dispose();
    ca?.dispose();
  });

  it('a message queued on B just before a restart reaches A after it, and B keeps its history', async () => {
    const sent = await send(b, bob, roomId, 'sent right before the restart');
    await b.down();
    await b.up();
    const seen = await seesMessage(a, alice, roomId, 'sent right before the restart');
    assert.equal(seen.event_id, sent);
    const history = (await recentEvents(b, bob, roomId)).map((e) => e.content.body).filter((x) => x !== undefined);
    assert.deepEqual(history, ['welcome', 'sent right before the restart']);
    await send(a, alice, roomId, 'after the restart');
    await seesMessage(b, bob, roomId, 'after the restart');
  });

  it('while B is down A queues; once B is heard from again everything arrives in order', async () => {
    await b.down();
    const bodies = ['down 1', 'down 2', 'down 3', 'down 4', 'down 5'];
    for (const body of bodies) await send(a, alice, roomId, body);
    // Long enough for A to have failed at least once and backed off (10 s at first).
    await new Promise((r) => setTimeout(r, 1_500));
    await b.up();
    // B speaking to A is A hearing from B: its queue for B is retried at once, not in 10 s.
    await send(b, bob, roomId, 'back online');
    await seesMessage(a, alice, roomId, 'back online');
    const got = await eventually('the queued messages on B', async () => {
      const seen = (await recentEvents(b, bob, roomId)).map((e) => e.content.body).filter((x): x is string => typeof x === 'string' && x.startsWith('down '));
      return seen.length === bodies.length ? seen : undefined;
    }, 8_000);
    assert.deepEqual(got, bodies);
  });
});
