/**
 * Interop with a real Synapse (pinned, installed from PyPI into a cached virtualenv by the
 * harness): one Axon server on 127.0.0.1 and one Synapse on 127.0.0.3, federating over HTTPS with
 * certificates from one test CA that both verify against. A Synapse user's room is joined from
 * Axon and an Axon user's room from Synapse; messages, state changes, typing and read receipts
 * travel both ways. Everything between the servers is real: discovery of `ip:port` names, TLS,
 * X-Matrix, key fetches, each side's checks of the other's events.
 *
 * Skipped with a printed reason only where python3 (or its venv/pip) or openssl is missing, and
 * failing instead when services are required (CI). The first run installs Synapse (minutes).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import type { CallOptions, Res, TestUser } from '../clientapi/client-test-server.js';
import { servicesRequired, skipReason } from '../harness/services-required.js';
import { federatedPairUnavailableReason, startFederatedServer, type FederatedServer } from '../harness/start-federated-pair.js';
import { createTestCa, type TestCa } from '../harness/start-federated-pair-pki.js';
import { startSynapse, synapseUnavailableReason, type SynapseServer } from '../harness/synapse-server.js';

const why = federatedPairUnavailableReason() ?? synapseUnavailableReason();
const skip = why !== undefined && !servicesRequired() ? skipReason('Synapse', why) : false;

/** One homeserver as the tests drive it, whichever implementation it is. */
interface Side {
  readonly name: string;
  readonly serverName: string;
  call(method: string, path: string, opts?: CallOptions): Promise<Res>;
}

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

/** Polls `check` until it returns a value (not undefined) or 20 s are up. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function ok(res: Res, what: string): Record<string, unknown> {
  assert.equal(res.status, 200, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

interface RoomEventJson {
  readonly event_id: string;
  readonly type: string;
  readonly sender: string;
  readonly content: Record<string, unknown>;
}

async function sendText(side: Side, user: TestUser, roomId: string, body: string): Promise<string> {
  const txn = `t${Math.random().toString(36).slice(2)}`;
  const res = await side.call('PUT', `${V3}/rooms/${enc(roomId)}/send/m.room.message/${txn}`, { token: user.accessToken, body: { msgtype: 'm.text', body } });
  return String(ok(res, `sending on ${side.name}`).event_id);
}

/** The message with this body once `user` on `side` sees it in the room's newest events. */
function seesMessage(side: Side, user: TestUser, roomId: string, body: string): Promise<RoomEventJson> {
  return eventually(`"${body}" on ${side.name}`, async () => {
    const res = await side.call('GET', `${V3}/rooms/${enc(roomId)}/messages?dir=b&limit=30`, { token: user.accessToken });
    if (res.status !== 200) return undefined;
    return (res.body.chunk as RoomEventJson[]).find((e) => e.type === 'm.room.message' && e.content.body === body);
  });
}

/** The content of a state event once `accept` takes it, as `user` on `side` reads it. */
function seesState(side: Side, user: TestUser, roomId: string, type: string, stateKey: string, accept: (c: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return eventually(`${type} on ${side.name}`, async () => {
    const res = await side.call('GET', `${V3}/rooms/${enc(roomId)}/state/${type}/${enc(stateKey)}`, { token: user.accessToken });
    return res.status === 200 && accept(res.body) ? res.body : undefined;
  });
}

/**
 * An incremental /sync of `user` on `side` from the moment it is made, so a later poll sees only
 * what happened after; `ephemeral` waits for a room's ephemeral event that `match` picks.
 */
async function syncFromNow(side: Side, user: TestUser) {
  let since = String(ok(await side.call('GET', `${V3}/sync?timeout=0`, { token: user.accessToken }), `initial sync on ${side.name}`).next_batch);
  return {
    ephemeral<T>(what: string, roomId: string, match: (e: { type: string; content: Record<string, unknown> }) => T | undefined): Promise<T> {
      return eventually(`${what} in ${side.name}'s /sync`, async () => {
        const res = await side.call('GET', `${V3}/sync?timeout=1000&since=${enc(since)}`, { token: user.accessToken });
        if (res.status !== 200) return undefined;
        since = String(res.body.next_batch);
        const rooms = res.body.rooms as { join?: Record<string, { ephemeral?: { events: Array<{ type: string; content: Record<string, unknown> }> } }> } | undefined;
        for (const e of rooms?.join?.[roomId]?.ephemeral?.events ?? []) {
          const got = match(e);
          if (got !== undefined) return got;
        }
        return undefined;
      });
    },
  };
}

/** The user IDs of an `m.typing` event. */
function typingUsers(e: { type: string; content: Record<string, unknown> }): string[] | undefined {
  return e.type === 'm.typing' ? (e.content.user_ids as string[]) : undefined;
}

/** The `m.read` receipt of `userId` for `eventId` in an `m.receipt` event. */
function readReceipt(eventId: string, userId: string) {
  return (e: { type: string; content: Record<string, unknown> }): Record<string, unknown> | undefined => {
    if (e.type !== 'm.receipt') return undefined;
    const forEvent = e.content[eventId] as { 'm.read'?: Record<string, Record<string, unknown>> } | undefined;
    return forEvent?.['m.read']?.[userId];
  };
}

/**
 * Synapse's default room version (12: room IDs are the create event's hash, the create event is
 * no event's auth event) and Axon's (11), so both event formats cross in both directions.
 */
const ROOM_VERSIONS = ['11', '12'] as const;

describe('federation with a real Synapse', { skip, timeout: 20 * 60_000 }, () => {
  let ca: TestCa;
  let dir: string;
  let axonServer: FederatedServer;
  let synapse: SynapseServer;
  let axon: Side;
  let syn: Side;
  let alice: TestUser; // on Axon
  let sam: TestUser; // on Synapse

  /** Stops whatever started; also called when `before` fails, as node:test then skips `after`. */
  const cleanUp = async (): Promise<void> => {
    await Promise.allSettled([axonServer?.client.stop(), synapse?.stop()]);
    ca?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };

  before(async () => {
    ca = createTestCa();
    dir = mkdtempSync(join(tmpdir(), 'axon-synapse-interop-'));
    // The first run installs Synapse into the cache: that alone may take minutes.
    const [a, s] = await Promise.allSettled([
      startFederatedServer({ label: 'axon', ip: '127.0.0.1', ca, dir, config: {} }),
      startSynapse({ ca, ip: '127.0.0.3' }),
    ]);
    if (a.status === 'fulfilled') axonServer = a.value;
    if (s.status === 'fulfilled') synapse = s.value;
    if (a.status === 'rejected' || s.status === 'rejected') {
      await cleanUp();
      throw a.status === 'rejected' ? a.reason : (s as PromiseRejectedResult).reason;
    }
    axon = { name: 'Axon', serverName: axonServer.serverName, call: axonServer.client.call };
    syn = { name: 'Synapse', serverName: synapse.serverName, call: synapse.call };
    alice = await axonServer.client.register('alice');
    sam = await synapse.register('sam');
  }, { timeout: 15 * 60_000 });

  after(cleanUp);

  it('each server fetches the other\'s signing keys over TLS (notary queries)', async () => {
    const dispatcher = new Agent({ connect: { ca: readFileSync(ca.caFile, 'utf8') } });
    try {
      const own = async (server: string): Promise<Record<string, unknown>> => {
        const res = await request(`https://${server}/_matrix/key/v2/server`, { dispatcher });
        assert.equal(res.statusCode, 200);
        return (await res.body.json()) as Record<string, unknown>;
      };
      // Naming the key IDs makes a notary fetch them on a cache miss (Synapse answers a query
      // for "all keys" from its cache only, and wants `minimum_valid_until_ts`).
      const query = async (via: string, target: string, keyIds: string[]): Promise<Record<string, unknown>> => {
        const criteria = Object.fromEntries(keyIds.map((id) => [id, { minimum_valid_until_ts: Date.now() }]));
        const res = await request(`https://${via}/_matrix/key/v2/query`, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ server_keys: { [target]: criteria } }),
        });
        const body = (await res.body.json()) as Record<string, unknown>;
        assert.equal(res.statusCode, 200, JSON.stringify(body));
        const keys = body.server_keys as Array<Record<string, unknown>>;
        assert.equal(keys.length, 1, `${via} returned ${JSON.stringify(body)} for ${target}`);
        return keys[0]!;
      };
      const synapseOwn = (await own(syn.serverName)).verify_keys as Record<string, unknown>;
      const synapseKeys = await query(axon.serverName, syn.serverName, Object.keys(synapseOwn));
      assert.equal(synapseKeys.server_name, syn.serverName);
      assert.deepEqual(synapseKeys.verify_keys, synapseOwn);
      const axonOwn = (await own(axon.serverName)).verify_keys as Record<string, unknown>;
      const axonKeys = await query(syn.serverName, axon.serverName, Object.keys(axonOwn));
      assert.equal(axonKeys.server_name, axon.serverName);
      assert.deepEqual(axonKeys.verify_keys, axonOwn);
      // Each notary adds its own signature to the keys it serves.
      assert.ok(Object.keys(synapseKeys.signatures as object).includes(axon.serverName), JSON.stringify(synapseKeys.signatures));
      assert.ok(Object.keys(axonKeys.signatures as object).includes(syn.serverName), JSON.stringify(axonKeys.signatures));
    } finally {
      await dispatcher.close();
    }
  });

  for (const version of ROOM_VERSIONS) {
    describe(`room version ${version}`, () => {
      let samRoom: string; // made on Synapse
      let aliceRoom: string; // made on Axon

      it('an Axon user joins a public room of a Synapse user and has its state', async () => {
        const created = await syn.call('POST', `${V3}/createRoom`, { token: sam.accessToken, body: { preset: 'public_chat', name: `On Synapse ${version}`, topic: 'synapse topic', room_version: version } });
        samRoom = String(ok(created, 'createRoom on Synapse').room_id);
        const res = await axon.call('POST', `${V3}/join/${enc(samRoom)}?via=${enc(syn.serverName)}`, { token: alice.accessToken, body: {} });
        assert.equal(res.status, 200, `join from Axon: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.room_id, samRoom);
        assert.deepEqual(ok(await axon.call('GET', `${V3}/rooms/${enc(samRoom)}/state/m.room.name/`, { token: alice.accessToken }), 'name on Axon'), { name: `On Synapse ${version}` });
        const create = ok(await axon.call('GET', `${V3}/rooms/${enc(samRoom)}/state/m.room.create/`, { token: alice.accessToken }), 'create on Axon');
        assert.equal(create.room_version, version);
        assert.equal((await seesState(axon, alice, samRoom, 'm.room.member', sam.userId, () => true)).membership, 'join');
        assert.equal((await seesState(syn, sam, samRoom, 'm.room.member', alice.userId, (c) => c.membership === 'join')).membership, 'join');
      });

      it('messages travel both ways in the Synapse room', async () => {
        const fromSynapse = await sendText(syn, sam, samRoom, `hello from Synapse ${version}`);
        const onAxon = await seesMessage(axon, alice, samRoom, `hello from Synapse ${version}`);
        assert.equal(onAxon.event_id, fromSynapse);
        assert.equal(onAxon.sender, sam.userId);
        const fromAxon = await sendText(axon, alice, samRoom, `hello from Axon ${version}`);
        const onSynapse = await seesMessage(syn, sam, samRoom, `hello from Axon ${version}`);
        assert.equal(onSynapse.event_id, fromAxon);
        assert.equal(onSynapse.sender, alice.userId);
      });

      it('a topic change on either side becomes the current state on the other', async () => {
        ok(await syn.call('PUT', `${V3}/rooms/${enc(samRoom)}/state/m.room.topic/`, { token: sam.accessToken, body: { topic: 'set on Synapse' } }), 'topic on Synapse');
        assert.equal((await seesState(axon, alice, samRoom, 'm.room.topic', '', (c) => c.topic === 'set on Synapse')).topic, 'set on Synapse');
        // In a public_chat room the topic needs power 50 (state_default), so sam raises alice first.
        const pl = ok(await syn.call('GET', `${V3}/rooms/${enc(samRoom)}/state/m.room.power_levels/`, { token: sam.accessToken }), 'power levels on Synapse');
        const users = { ...(pl.users as Record<string, number> | undefined), [alice.userId]: 50 };
        ok(await syn.call('PUT', `${V3}/rooms/${enc(samRoom)}/state/m.room.power_levels/`, { token: sam.accessToken, body: { ...pl, users } }), 'power levels change on Synapse');
        await seesState(axon, alice, samRoom, 'm.room.power_levels', '', (c) => (c.users as Record<string, number> | undefined)?.[alice.userId] === 50);
        ok(await axon.call('PUT', `${V3}/rooms/${enc(samRoom)}/state/m.room.topic/`, { token: alice.accessToken, body: { topic: 'set on Axon' } }), 'topic on Axon');
        assert.equal((await seesState(syn, sam, samRoom, 'm.room.topic', '', (c) => c.topic === 'set on Axon')).topic, 'set on Axon');
      });

      it('typing notifications travel both ways', async () => {
        const aliceSync = await syncFromNow(axon, alice);
        ok(await syn.call('PUT', `${V3}/rooms/${enc(samRoom)}/typing/${enc(sam.userId)}`, { token: sam.accessToken, body: { typing: true, timeout: 20_000 } }), 'typing on Synapse');
        const onAxon = await aliceSync.ephemeral('sam typing', samRoom, (e) => (typingUsers(e)?.includes(sam.userId) ? typingUsers(e) : undefined));
        assert.deepEqual(onAxon, [sam.userId]);

        const samSync = await syncFromNow(syn, sam);
        ok(await axon.call('PUT', `${V3}/rooms/${enc(samRoom)}/typing/${enc(alice.userId)}`, { token: alice.accessToken, body: { typing: true, timeout: 20_000 } }), 'typing on Axon');
        const onSynapse = await samSync.ephemeral('alice typing', samRoom, (e) => (typingUsers(e)?.includes(alice.userId) ? typingUsers(e) : undefined));
        assert.ok(onSynapse.includes(alice.userId), JSON.stringify(onSynapse));
      });

      it('read receipts travel both ways', async () => {
        const fromSynapse = await sendText(syn, sam, samRoom, `read me, alice (${version})`);
        await seesMessage(axon, alice, samRoom, `read me, alice (${version})`);
        const samSync = await syncFromNow(syn, sam);
        ok(await axon.call('POST', `${V3}/rooms/${enc(samRoom)}/receipt/m.read/${enc(fromSynapse)}`, { token: alice.accessToken, body: {} }), 'receipt on Axon');
        const onSynapse = await samSync.ephemeral('alice\'s receipt', samRoom, readReceipt(fromSynapse, alice.userId));
        assert.equal(typeof onSynapse.ts, 'number');

        const fromAxon = await sendText(axon, alice, samRoom, `read me, sam (${version})`);
        await seesMessage(syn, sam, samRoom, `read me, sam (${version})`);
        const aliceSync = await syncFromNow(axon, alice);
        ok(await syn.call('POST', `${V3}/rooms/${enc(samRoom)}/receipt/m.read/${enc(fromAxon)}`, { token: sam.accessToken, body: {} }), 'receipt on Synapse');
        const onAxon = await aliceSync.ephemeral('sam\'s receipt', samRoom, readReceipt(fromAxon, sam.userId));
        assert.equal(typeof onAxon.ts, 'number');
      });

      it('a Synapse user joins a public room of an Axon user, and messages travel both ways', async () => {
        const created = await axon.call('POST', `${V3}/createRoom`, { token: alice.accessToken, body: { preset: 'public_chat', name: `On Axon ${version}`, room_version: version } });
        aliceRoom = String(ok(created, 'createRoom on Axon').room_id);
        const res = await syn.call('POST', `${V3}/join/${enc(aliceRoom)}?server_name=${enc(axon.serverName)}`, { token: sam.accessToken, body: {} });
        assert.equal(res.status, 200, `join from Synapse: ${JSON.stringify(res.body)}\n${synapse.logTail(3000)}`);
        assert.equal(res.body.room_id, aliceRoom);
        assert.deepEqual(ok(await syn.call('GET', `${V3}/rooms/${enc(aliceRoom)}/state/m.room.name/`, { token: sam.accessToken }), 'name on Synapse'), { name: `On Axon ${version}` });
        assert.equal((await seesState(axon, alice, aliceRoom, 'm.room.member', sam.userId, (c) => c.membership === 'join')).membership, 'join');

        const fromAxon = await sendText(axon, alice, aliceRoom, `welcome from Axon ${version}`);
        assert.equal((await seesMessage(syn, sam, aliceRoom, `welcome from Axon ${version}`)).event_id, fromAxon);
        const fromSynapse = await sendText(syn, sam, aliceRoom, `thanks from Synapse ${version}`);
        assert.equal((await seesMessage(axon, alice, aliceRoom, `thanks from Synapse ${version}`)).event_id, fromSynapse);
      });

      it('in the Axon room, a topic change, typing and a receipt from Axon reach Synapse', async () => {
        ok(await axon.call('PUT', `${V3}/rooms/${enc(aliceRoom)}/state/m.room.topic/`, { token: alice.accessToken, body: { topic: `Axon topic ${version}` } }), 'topic on Axon');
        assert.equal((await seesState(syn, sam, aliceRoom, 'm.room.topic', '', (c) => c.topic === `Axon topic ${version}`)).topic, `Axon topic ${version}`);
        const samSync = await syncFromNow(syn, sam);
        ok(await axon.call('PUT', `${V3}/rooms/${enc(aliceRoom)}/typing/${enc(alice.userId)}`, { token: alice.accessToken, body: { typing: true, timeout: 20_000 } }), 'typing on Axon');
        const typing = await samSync.ephemeral('alice typing', aliceRoom, (e) => (typingUsers(e)?.includes(alice.userId) ? typingUsers(e) : undefined));
        assert.deepEqual(typing, [alice.userId]);
        const fromSynapse = await sendText(syn, sam, aliceRoom, `read me too (${version})`);
        await seesMessage(axon, alice, aliceRoom, `read me too (${version})`);
        const receiptSync = await syncFromNow(syn, sam);
        ok(await axon.call('POST', `${V3}/rooms/${enc(aliceRoom)}/receipt/m.read/${enc(fromSynapse)}`, { token: alice.accessToken, body: {} }), 'receipt on Axon');
        const receipt = await receiptSync.ephemeral('alice\'s receipt', aliceRoom, readReceipt(fromSynapse, alice.userId));
        assert.equal(typeof receipt.ts, 'number');
      });
    });
  }
});
