/**
 * Synapse's admin API for a user's devices (`/_synapse/admin/v2/users/{userId}/devices…`,
 * `…/delete_devices`) and joined rooms (`/_synapse/admin/v1/users/{userId}/joined_rooms`) over
 * HTTP: who may call it, Synapse's fields, and that deletions log the device out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, startClientTestServer, type ClientTestServer, type TestUser, assertError, localUserId } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const ADMIN = '/_synapse/admin';
const enc = encodeURIComponent;
const uid = localUserId;


describe('Synapse admin API: user devices and joined rooms', () => {
  let s: ClientTestServer;
  let admin: TestUser;
  let bob: TestUser;
  before(async () => {
    s = await startClientTestServer();
    admin = await s.register('ud-admin', { admin: true });
    bob = await s.register('ud-bob');
  });
  after(() => s.stop());

  const call = (as: TestUser | undefined, method: string, path: string, body?: unknown) => s.call(method, path, { token: as?.accessToken, body });
  const devicesPath = (userId: string) => `${ADMIN}/v2/users/${enc(userId)}/devices`;
  const whoami = (u: TestUser) => call(u, 'GET', `${V3}/account/whoami`);

  it('refuses non-admins (403) and callers without a token (401) on every route', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', devicesPath(bob.userId)],
      ['GET', `${devicesPath(bob.userId)}/${enc(bob.deviceId)}`],
      ['PUT', `${devicesPath(bob.userId)}/${enc(bob.deviceId)}`, { display_name: 'x' }],
      ['DELETE', `${devicesPath(bob.userId)}/${enc(bob.deviceId)}`],
      ['POST', `${ADMIN}/v2/users/${enc(bob.userId)}/delete_devices`, { devices: [bob.deviceId] }],
      ['GET', `${ADMIN}/v1/users/${enc(bob.userId)}/joined_rooms`],
    ];
    for (const [method, path, body] of routes) {
      assertError(await call(bob, method, path, body), 403, 'M_FORBIDDEN', `${method} ${path} as non-admin`);
      assertError(await call(undefined, method, path, body), 401, 'M_MISSING_TOKEN', `${method} ${path} without token`);
    }
    okBody(await whoami(bob)); // the device survived the refused deletions
  });

  it("lists the user's devices with Synapse's fields and total", async () => {
    const carol = await s.register('ud-carol');
    await whoami(carol); // records last-seen data for the first device
    const second = await s.login('ud-carol', carol.password);
    const body = okBody(await call(admin, 'GET', devicesPath(carol.userId)));
    assert.equal(body.total, 2);
    const devices = body.devices as Array<Record<string, unknown>>;
    assert.deepEqual(devices.map((d) => d.device_id).sort(), [carol.deviceId, second.deviceId].sort());
    const first = devices.find((d) => d.device_id === carol.deviceId)!;
    assert.deepEqual(Object.keys(first).sort(), ['device_id', 'display_name', 'last_seen_ip', 'last_seen_ts', 'last_seen_user_agent', 'user_id']);
    assert.equal(first.user_id, carol.userId);
    assert.equal(typeof first.last_seen_ts, 'number');
    assert.ok(Math.abs(Number(first.last_seen_ts) - Date.now()) < 60_000);
    assert.equal(typeof first.last_seen_ip, 'string');
  });

  it('reads and renames one device; an absent display_name changes nothing', async () => {
    const path = `${devicesPath(bob.userId)}/${enc(bob.deviceId)}`;
    assert.deepEqual(okBody(await call(admin, 'PUT', path, { display_name: 'Bob phone' })), {});
    const got = okBody(await call(admin, 'GET', path));
    assert.equal(got.device_id, bob.deviceId);
    assert.equal(got.user_id, bob.userId);
    assert.equal(got.display_name, 'Bob phone');
    assert.deepEqual(okBody(await call(admin, 'PUT', path, {})), {});
    assert.equal(okBody(await call(admin, 'GET', path)).display_name, 'Bob phone');
    // The user sees the admin's name through the client API too.
    const own = okBody(await call(bob, 'GET', `${V3}/devices/${enc(bob.deviceId)}`));
    assert.equal(own.display_name, 'Bob phone');
  });

  it('is 404 for unknown users and devices, 400 for remote users', async () => {
    assertError(await call(admin, 'GET', devicesPath(uid('ud-nobody'))), 404, 'M_NOT_FOUND', 'unknown user');
    assertError(await call(admin, 'GET', `${devicesPath(bob.userId)}/NOSUCHDEVICE`), 404, 'M_NOT_FOUND', 'unknown device');
    assertError(await call(admin, 'PUT', `${devicesPath(bob.userId)}/NOSUCHDEVICE`, { display_name: 'x' }), 404, 'M_NOT_FOUND', 'rename unknown');
    assertError(await call(admin, 'GET', devicesPath('@someone:remote.example')), 400, 'M_UNKNOWN', 'remote user');
    assertError(await call(admin, 'POST', `${ADMIN}/v2/users/${enc(uid('ud-nobody'))}/delete_devices`, { devices: [] }), 404, 'M_NOT_FOUND', 'delete_devices unknown user');
  });

  it('deletes one device: its token stops working, the others keep theirs', async () => {
    const dave = await s.register('ud-dave');
    const other = await s.login('ud-dave', dave.password);
    assert.deepEqual(okBody(await call(admin, 'DELETE', `${devicesPath(dave.userId)}/${enc(dave.deviceId)}`)), {});
    assertError(await whoami(dave), 401, 'M_UNKNOWN_TOKEN', 'deleted device');
    assert.equal(okBody(await whoami(other)).device_id, other.deviceId);
    const left = okBody(await call(admin, 'GET', devicesPath(dave.userId)));
    assert.deepEqual([left.total, (left.devices as Array<{ device_id: string }>).map((d) => d.device_id)], [1, [other.deviceId]]);
    assertError(await call(admin, 'GET', `${devicesPath(dave.userId)}/${enc(dave.deviceId)}`), 404, 'M_NOT_FOUND', 'gone');
    // Deleting an unknown device succeeds, as in Synapse.
    assert.deepEqual(okBody(await call(admin, 'DELETE', `${devicesPath(dave.userId)}/NOSUCHDEVICE`)), {});
    okBody(await whoami(other));
  });

  it('delete_devices deletes the listed devices only; an empty list deletes none', async () => {
    const erin = await s.register('ud-erin');
    const e2 = await s.login('ud-erin', erin.password);
    const e3 = await s.login('ud-erin', erin.password);
    const path = `${ADMIN}/v2/users/${enc(erin.userId)}/delete_devices`;
    assert.deepEqual(okBody(await call(admin, 'POST', path, { devices: [] })), {});
    assert.equal(okBody(await call(admin, 'GET', devicesPath(erin.userId))).total, 3);
    assert.deepEqual(okBody(await call(admin, 'POST', path, { devices: [erin.deviceId, e2.deviceId] })), {});
    assertError(await whoami(erin), 401, 'M_UNKNOWN_TOKEN', 'first');
    assertError(await whoami(e2), 401, 'M_UNKNOWN_TOKEN', 'second');
    okBody(await whoami(e3));
    const left = okBody(await call(admin, 'GET', devicesPath(erin.userId)));
    assert.deepEqual((left.devices as Array<{ device_id: string }>).map((d) => d.device_id), [e3.deviceId]);
    assertError(await call(admin, 'POST', path, {}), 400, 'M_MISSING_PARAM', 'missing devices');
  });

  it('joined_rooms lists the rooms the user is joined to, not those left', async () => {
    const path = `${ADMIN}/v1/users/${enc(bob.userId)}/joined_rooms`;
    assert.deepEqual(okBody(await call(admin, 'GET', path)), { joined_rooms: [], total: 0 });
    const r1 = String(okBody(await call(bob, 'POST', `${V3}/createRoom`, {})).room_id);
    const r2 = String(okBody(await call(bob, 'POST', `${V3}/createRoom`, {})).room_id);
    const r3 = String(okBody(await call(bob, 'POST', `${V3}/createRoom`, {})).room_id);
    okBody(await call(bob, 'POST', `${V3}/rooms/${enc(r2)}/leave`, {}));
    assert.deepEqual(okBody(await call(admin, 'GET', path)), { joined_rooms: [r1, r3].sort(), total: 2 });
    assert.deepEqual(okBody(await call(admin, 'GET', `${ADMIN}/v1/users/${enc(uid('ud-nobody'))}/joined_rooms`)), { joined_rooms: [], total: 0 });
  });
});
