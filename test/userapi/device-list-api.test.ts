/**
 * The userapi API: `queryDeviceList`, a local user's device list as other servers fetch it
 * (`/user/devices/{userId}`): devices with keys, cross-signing keys others may see, and the
 * user's latest key change position as `stream_id`.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { crossSigningSet, deviceKeysFor, newKey } from './keys-test-kit.js';
import { describeUserApi } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;

describeUserApi('userapi device list for federation', (api) => {
  it("lists the devices with keys, public cross-signing keys and the user's latest key change position", async () => {
    await api().performAccountCreation({ localpart: 'dana', accountType: 'user', password: 'pw' });
    await api().performAccountCreation({ localpart: 'eve', accountType: 'user', password: 'pw' });
    const dana = uid('dana');
    const empty = await api().queryDeviceList({ userId: dana });
    assert.deepEqual(empty, { streamId: 0, devices: [], masterKey: null, selfSigningKey: null });

    await api().performDeviceCreation({ userId: dana, deviceId: 'D1', displayName: 'Dana laptop' });
    await api().performDeviceCreation({ userId: dana, deviceId: 'D2' });
    await api().performDeviceCreation({ userId: dana, deviceId: 'NOKEYS' });
    const k1 = deviceKeysFor(dana, 'D1', newKey());
    const k2 = deviceKeysFor(dana, 'D2', newKey());
    await api().performUploadKeys({ userId: dana, deviceId: 'D2', deviceKeys: k2 });
    await api().performUploadKeys({ userId: dana, deviceId: 'D1', deviceKeys: k1 });
    // Another user's change moves the global log but not dana's stream_id.
    await api().performDeviceCreation({ userId: uid('eve'), deviceId: 'E1' });
    await api().performUploadKeys({ userId: uid('eve'), deviceId: 'E1', deviceKeys: deviceKeysFor(uid('eve'), 'E1', newKey()) });
    const latest = (await api().queryLatestKeyChangePos({})).position;

    const list = await api().queryDeviceList({ userId: dana });
    assert.equal(list.streamId, latest - 1);
    assert.deepEqual(list.devices, [
      { deviceId: 'D1', keys: k1, displayName: 'Dana laptop' },
      { deviceId: 'D2', keys: k2, displayName: null },
    ]);
    assert.deepEqual([list.masterKey, list.selfSigningKey], [null, null]);

    const cs = crossSigningSet(dana);
    await api().performUploadDeviceSigningKeys({ userId: dana, master: cs.master, selfSigning: cs.selfSigning, userSigning: cs.userSigning });
    const withCs = await api().queryDeviceList({ userId: dana });
    assert.equal(withCs.streamId, (await api().queryLatestKeyChangePos({})).position);
    assert.deepEqual(withCs.masterKey, cs.master);
    assert.deepEqual(withCs.selfSigningKey, cs.selfSigning);
  });

  it('answers nothing for a user of another server', async () => {
    assert.deepEqual(await api().queryDeviceList({ userId: '@someone:elsewhere' }), { streamId: 0, devices: [], masterKey: null, selfSigningKey: null });
  });
});
