/**
 * The federation sender's consumer of `OutputKeyChangeEvent` over a REAL roomserver (in-process
 * and over inthttp, SQLite and PostgreSQL): a local user's device change goes out as an
 * `m.device_list_update` with `stream_id`/`prev_id`, a public cross-signing change as an
 * `m.signing_key_update`, each to the servers sharing a room with the user; private
 * cross-signing changes and other servers' users stay here.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SenderDeps } from '../../src/federationapi/consumers/sender-deps.js';
import { handleKeyChangeOutput } from '../../src/federationapi/consumers/userapi-key-change.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, SERVER, uid } from '../roomserver/roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob', REMOTE);
const LONELY = uid('lonely');

interface Sent {
  readonly destinations: string[];
  readonly edus: readonly JsonObject[];
}

function recorder(api: RoomserverAPI): { deps: SenderDeps; sent: Sent[] } {
  const sent: Sent[] = [];
  const deps: SenderDeps = {
    serverName: SERVER,
    now: () => 0,
    roomserver: api,
    queues: {
      sendPdus: async () => assert.fail('no PDUs expected'),
      sendEdus: async (destinations, edus) => void sent.push({ destinations: [...destinations].sort(), edus: edus.map((e) => ({ ...e })) }),
    },
  };
  return { deps, sent };
}

describeRoomserverApi('federationapi sender: key changes', (api, env) => {
  it('sends device list and signing key updates to the servers sharing a room with the user', async () => {
    const room = await createRoom(api(), '11', ALICE, `!keys:${SERVER}`);
    const join = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    const { results } = await api().inputRoomEvents({ inputs: [{ kind: 'new', event: join.json, roomVersion: '11', origin: REMOTE }] });
    assert.equal(results[0]?.accepted, true);
    const { deps, sent } = recorder(api());
    const keys = { user_id: ALICE, device_id: 'D1', keys: { 'ed25519:D1': 'k' } };
    await handleKeyChangeOutput(deps, { type: 'device_keys', userId: ALICE, deviceId: 'D1', streamPosition: 7, prevStreamPosition: null, deleted: false, deviceKeys: keys, displayName: 'Phone' });
    await handleKeyChangeOutput(deps, { type: 'device_keys', userId: ALICE, deviceId: 'D1', streamPosition: 9, prevStreamPosition: 7, deleted: true, deviceKeys: null, displayName: null });
    const master = { user_id: ALICE, usage: ['master'], keys: { 'ed25519:M': 'M' } };
    await handleKeyChangeOutput(deps, { type: 'cross_signing', userId: ALICE, streamPosition: 10, prevStreamPosition: 9, masterKey: master, selfSigningKey: null, publicKeysChanged: true });
    await handleKeyChangeOutput(deps, { type: 'cross_signing', userId: ALICE, streamPosition: 11, prevStreamPosition: 10, masterKey: master, selfSigningKey: null, publicKeysChanged: false });
    // Other servers' users are theirs to announce; a user sharing no room has nobody to tell.
    await handleKeyChangeOutput(deps, { type: 'device_keys', userId: BOB, deviceId: 'B', streamPosition: 12, prevStreamPosition: null, deleted: true, deviceKeys: null, displayName: null });
    await handleKeyChangeOutput(deps, { type: 'device_keys', userId: LONELY, deviceId: 'L', streamPosition: 13, prevStreamPosition: null, deleted: true, deviceKeys: null, displayName: null });
    assert.deepEqual(sent, [
      { destinations: [REMOTE], edus: [{ edu_type: 'm.device_list_update', content: { user_id: ALICE, device_id: 'D1', stream_id: 7, prev_id: [], keys, device_display_name: 'Phone' } }] },
      { destinations: [REMOTE], edus: [{ edu_type: 'm.device_list_update', content: { user_id: ALICE, device_id: 'D1', stream_id: 9, prev_id: [7], deleted: true } }] },
      { destinations: [REMOTE], edus: [{ edu_type: 'm.signing_key_update', content: { user_id: ALICE, master_key: master } }] },
    ]);
  });
});
