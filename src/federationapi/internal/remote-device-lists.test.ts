import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDeviceListSnapshot } from './remote-device-lists.js';

const USER = '@alice:a.test';

describe('parseDeviceListSnapshot', () => {
  it("keeps the user's devices and cross-signing keys, with display names", () => {
    const keys = { user_id: USER, device_id: 'D1', keys: { 'ed25519:D1': 'k' } };
    const master = { user_id: USER, usage: ['master'], keys: { 'ed25519:M': 'M' } };
    const list = parseDeviceListSnapshot(USER, { user_id: USER, stream_id: 42, devices: [{ device_id: 'D1', keys, device_display_name: 'Phone' }, { device_id: 'D2', keys: {} }], master_key: master }, 1000);
    assert.deepEqual(list, {
      userId: USER,
      streamId: 42,
      devices: { D1: { keys, displayName: 'Phone' }, D2: { keys: null, displayName: null } },
      masterKey: master,
      selfSigningKey: null,
      updatedAt: 1000,
    });
  });

  it('drops keys naming another user or device', () => {
    const list = parseDeviceListSnapshot(USER, {
      user_id: USER,
      stream_id: 1,
      devices: [{ device_id: 'D1', keys: { user_id: USER, device_id: 'OTHER' } }, { device_id: 'D2', keys: { user_id: '@mallory:a.test', device_id: 'D2' } }, 'junk'],
      self_signing_key: { user_id: '@mallory:a.test', usage: ['self_signing'], keys: {} },
    }, 0);
    assert.deepEqual(list.devices, { D1: { keys: null, displayName: null }, D2: { keys: null, displayName: null } });
    assert.equal(list.selfSigningKey, null);
  });

  it('refuses an answer about someone else or without a stream_id', () => {
    assert.throws(() => parseDeviceListSnapshot(USER, { user_id: '@bob:a.test', stream_id: 1, devices: [] }, 0));
    assert.throws(() => parseDeviceListSnapshot(USER, { user_id: USER, devices: [] }, 0));
    assert.throws(() => parseDeviceListSnapshot(USER, [], 0));
  });
});
