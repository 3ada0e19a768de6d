/**
 * The remote device-list tracker over real federationapi storage and a real embedded bus
 * (SQLite and PostgreSQL), with a scripted roomserver (who shares a room with us) and a scripted
 * client (the origin's `/user/devices`): updates in sequence applied from the EDU, a gap
 * resynced, a failed resync dropping the list, updates about users sharing no room or of another
 * server ignored, signing key updates, and every change announced on `OutputRemoteKeyChangeEvent`.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { FederationClient, FederationRequest } from '../../src/federationapi/client/federation-client.js';
import { FederationRequestError } from '../../src/federationapi/client/federation-request-error.js';
import { createRemoteDeviceLists, type RemoteDeviceLists } from '../../src/federationapi/internal/remote-device-lists.js';
import { OutputRemoteKeyChangeEvent, type OutputRemoteKeyChangeMessage } from '../../src/federationapi/producers/output-remote-key-change.js';
import { openFederationStorage } from '../../src/federationapi/storage/index.js';
import { createRemoteDeviceListStorage } from '../../src/federationapi/storage/remote-device-lists-table.js';
import type { Bus } from '../../src/internal/bus/bus.js';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const US = 'us.test';
const THEM = 'them.test';
const ALICE = `@alice:${THEM}`;
const STRANGER = `@stranger:${THEM}`;
const keysOf = (deviceId: string): JsonObject => ({ user_id: ALICE, device_id: deviceId, keys: { [`ed25519:${deviceId}`]: deviceId } });

describeEachBackend('federationapi remote device lists', (ctx) => {
  let bus: Bus;
  let lists: RemoteDeviceLists;
  let snapshot: JsonObject | undefined;
  let fetches: string[];
  const announced: OutputRemoteKeyChangeMessage[] = [];

  beforeEach(async () => {
    const database = await ctx.open();
    await openFederationStorage(database);
    bus = await createEmbeddedBus({ database, pollIntervalMs: 20 });
    fetches = [];
    announced.length = 0;
    snapshot = { user_id: ALICE, stream_id: 10, devices: [{ device_id: 'D1', keys: keysOf('D1'), device_display_name: 'One' }] };
    const client: Pick<FederationClient, 'request'> = {
      request: async <T>(req: FederationRequest): Promise<T> => {
        fetches.push(`${req.destination} ${req.path}`);
        if (!snapshot) throw new FederationRequestError({ destination: req.destination, kind: 'timeout', message: 'down' });
        return snapshot as T;
      },
    };
    lists = createRemoteDeviceLists({
      serverName: US,
      storage: createRemoteDeviceListStorage(database, await bus.outbox(database, 'federationapi')),
      client,
      roomserver: {
        queryRoomsForUser: async ({ userId }) => ({ roomIds: userId === ALICE ? ['!shared:us.test'] : [] }),
        queryJoinedServers: async () => ({ serverNames: [US, THEM] }),
      },
      now: () => 1_000,
    });
    await bus.subscribe<OutputRemoteKeyChangeMessage>({ topic: OutputRemoteKeyChangeEvent, consumer: 'test', handler: async (m) => void announced.push(m.payload) });
  });
  afterEach(async () => {
    await bus.close();
  });

  const devicesNow = async () => {
    const list = (await lists.usableLists([ALICE])).get(ALICE);
    return list && { streamId: list.streamId, devices: Object.fromEntries(Object.entries(list.devices).map(([id, d]) => [id, d.displayName])) };
  };
  const announcedCauses = async (n: number) => {
    const deadline = Date.now() + 5000;
    while (announced.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return announced.map((a) => `${a.userId} ${a.cause}`);
  };

  it('resyncs an untracked user, then applies updates in sequence from the EDU alone', async () => {
    assert.equal(await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D2', stream_id: 11, prev_id: [10], keys: keysOf('D2') }), undefined);
    assert.deepEqual(fetches, [`${THEM} /_matrix/federation/v1/user/devices/${encodeURIComponent(ALICE)}`]);
    assert.deepEqual(await devicesNow(), { streamId: 10, devices: { D1: 'One' } }, 'the snapshot, not the EDU');
    await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D2', stream_id: 11, prev_id: [10], keys: keysOf('D2'), device_display_name: 'Two' });
    await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D1', stream_id: 12, prev_id: [11], deleted: true });
    assert.equal(await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D1', stream_id: 12, prev_id: [11], deleted: true }), 'already applied');
    assert.equal(fetches.length, 1);
    assert.deepEqual(await devicesNow(), { streamId: 12, devices: { D2: 'Two' } });
    assert.deepEqual(await announcedCauses(3), [`${ALICE} resync`, `${ALICE} device_list_update`, `${ALICE} device_list_update`]);
  });

  it('resyncs after a gap, and drops the list when the resync fails', async () => {
    await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D1', stream_id: 10, prev_id: [] });
    snapshot = { user_id: ALICE, stream_id: 20, devices: [{ device_id: 'D3', keys: keysOf('D3') }] };
    await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D9', stream_id: 21, prev_id: [15], keys: keysOf('D9') });
    assert.deepEqual(await devicesNow(), { streamId: 20, devices: { D3: null } });
    snapshot = undefined;
    await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D9', stream_id: 30, prev_id: [25], keys: keysOf('D9') });
    assert.equal(await devicesNow(), undefined, 'nothing cached can be trusted');
    assert.equal(fetches.length, 3);
    assert.deepEqual(await announcedCauses(3), [`${ALICE} resync`, `${ALICE} resync`, `${ALICE} resync`]);
  });

  it('ignores updates about users of another server or sharing no room with us', async () => {
    assert.equal(await lists.applyDeviceListUpdate('evil.test', { user_id: ALICE, device_id: 'X', stream_id: 1, prev_id: [] }), `${ALICE} is not a user of evil.test`);
    assert.equal(await lists.applyDeviceListUpdate(THEM, { user_id: STRANGER, device_id: 'X', stream_id: 1, prev_id: [] }), `${STRANGER} shares no room with us`);
    assert.equal(await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'X' }), 'user_id, device_id or stream_id missing');
    assert.equal(await lists.applySigningKeyUpdate('evil.test', { user_id: ALICE }), `${ALICE} is not a user of evil.test`);
    assert.deepEqual(fetches, []);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(announced, []);
  });

  it('replaces cached cross-signing keys on a signing key update, and announces it', async () => {
    await lists.applyDeviceListUpdate(THEM, { user_id: ALICE, device_id: 'D1', stream_id: 10, prev_id: [] });
    const master = { user_id: ALICE, usage: ['master'], keys: { 'ed25519:M': 'M' } };
    assert.equal(await lists.applySigningKeyUpdate(THEM, { user_id: ALICE, master_key: master }), undefined);
    const list = (await lists.usableLists([ALICE])).get(ALICE);
    assert.deepEqual(list?.masterKey, master);
    assert.equal(list?.streamId, 10);
    assert.deepEqual(await announcedCauses(2), [`${ALICE} resync`, `${ALICE} signing_key_update`]);
  });
});
