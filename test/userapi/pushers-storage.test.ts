/** The userapi's pusher storage, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Pusher } from '../../src/userapi/api.js';
import { openUserStorage, type UserStorage } from '../../src/userapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

describeEachBackend('userapi pusher storage', (ctx) => {
  describe('userapi_pushers', () => suite(ctx));
});

const T = 1_700_000_000_000;

function pusher(pushkey: string, overrides: Partial<Pusher> = {}): Pusher {
  return {
    pushkey,
    kind: 'http',
    appId: 'org.example.app',
    appDisplayName: 'Example',
    deviceDisplayName: 'Phone',
    profileTag: null,
    lang: 'en',
    data: { url: 'https://push.example.org/_matrix/push/v1/notify', format: 'event_id_only', custom: { nested: [1, 'two'] } },
    pushkeyTs: T,
    deviceId: 'DEV1',
    ...overrides,
  };
}

function suite(ctx: BackendContext): void {
  let s: UserStorage;
  before(async () => {
    s = await openUserStorage(await ctx.open());
  });

  async function session(localpart: string, deviceId: string): Promise<void> {
    await s.openSession({
      localpart,
      deviceId,
      displayName: null,
      seen: { ts: T, ip: null, userAgent: null },
      accessTokenHash: `hash-${localpart}-${deviceId}`,
      accessExpiresTs: null,
      refreshTokenHash: null,
    });
  }

  it('stores every field and reads it back, data as the same JSON', async () => {
    const p = pusher('ann-key', { profileTag: 'tag', deviceId: 'A1' });
    await s.pushers.setPusher('ann', p, false);
    assert.deepEqual(await s.pushers.getPushers('ann'), [p]);
    assert.deepEqual(await s.pushers.getPushers('nobody'), []);
  });

  it('reads the pushers of many users at once, each list oldest first, users without any left out', async () => {
    await s.pushers.setPusher('many1', pusher('m1-late', { pushkeyTs: T + 9 }), false);
    await s.pushers.setPusher('many1', pusher('m1-early', { pushkeyTs: T + 1 }), false);
    await s.pushers.setPusher('many2', pusher('m2'), false);
    const got = await s.pushers.getPushersOf(['many1', 'many2', 'many3']);
    assert.deepEqual([...got.keys()].sort(), ['many1', 'many2']);
    assert.deepEqual(got.get('many1')?.map((p) => p.pushkey), ['m1-early', 'm1-late']);
    assert.deepEqual(got.get('many2'), [pusher('m2')]);
    assert.equal((await s.pushers.getPushersOf([])).size, 0);
  });

  it('replaces the pusher with the same app ID and pushkey, keeps others of the user', async () => {
    await s.pushers.setPusher('bo', pusher('k1', { pushkeyTs: T + 1 }), false);
    await s.pushers.setPusher('bo', pusher('k2', { pushkeyTs: T + 2 }), false);
    await s.pushers.setPusher('bo', pusher('k1', { pushkeyTs: T + 3, lang: 'de', deviceId: null, kind: 'email' }), false);
    await s.pushers.setPusher('bo', pusher('k1', { appId: 'other.app', pushkeyTs: T + 4 }), false);
    const got = await s.pushers.getPushers('bo');
    assert.deepEqual(
      got.map((p) => [p.appId, p.pushkey, p.lang, p.pushkeyTs, p.deviceId, p.kind]),
      [
        ['org.example.app', 'k2', 'en', T + 2, 'DEV1', 'http'],
        ['org.example.app', 'k1', 'de', T + 3, null, 'email'],
        ['other.app', 'k1', 'en', T + 4, 'DEV1', 'http'],
      ],
    );
  });

  it('append: false deletes other users\' pushers with the same app ID and pushkey; append: true keeps them', async () => {
    await s.pushers.setPusher('cy', pusher('shared'), false);
    await s.pushers.setPusher('cy', pusher('shared', { appId: 'other.app' }), false);
    await s.pushers.setPusher('dee', pusher('shared'), true);
    assert.equal((await s.pushers.getPushers('cy')).length, 2, 'append keeps cy\'s pusher');
    await s.pushers.setPusher('eve', pusher('shared'), false);
    assert.deepEqual((await s.pushers.getPushers('cy')).map((p) => p.appId), ['other.app'], 'only the same app ID goes');
    assert.deepEqual(await s.pushers.getPushers('dee'), []);
    assert.equal((await s.pushers.getPushers('eve')).length, 1);
  });

  it('deletes one pusher by app ID and pushkey, saying whether it existed', async () => {
    await s.pushers.setPusher('fay', pusher('f1'), false);
    await s.pushers.setPusher('fay', pusher('f2'), false);
    assert.equal(await s.pushers.deletePusher('fay', 'org.example.app', 'f1'), true);
    assert.equal(await s.pushers.deletePusher('fay', 'org.example.app', 'f1'), false);
    assert.equal(await s.pushers.deletePusher('fay', 'other.app', 'f2'), false);
    assert.deepEqual((await s.pushers.getPushers('fay')).map((p) => p.pushkey), ['f2']);
  });

  it('deletes pushers by device and all of a user', async () => {
    await s.pushers.setPusher('gus', pusher('g1', { deviceId: 'G1' }), false);
    await s.pushers.setPusher('gus', pusher('g2', { deviceId: 'G2' }), false);
    await s.pushers.setPusher('gus', pusher('g3', { deviceId: null }), false);
    await s.pushers.setPusher('hal', pusher('h1', { deviceId: 'G1' }), false);
    await s.pushers.deleteDevicePushers('gus', ['G1']);
    assert.deepEqual((await s.pushers.getPushers('gus')).map((p) => p.pushkey), ['g2', 'g3']);
    assert.equal((await s.pushers.getPushers('hal')).length, 1, 'same device ID of another user stays');
    await s.pushers.deleteUserPushers('gus');
    assert.deepEqual(await s.pushers.getPushers('gus'), []);
    assert.equal((await s.pushers.getPushers('hal')).length, 1);
  });

  it('deleting devices deletes the pushers they set', async () => {
    await session('ivy', 'I1');
    await session('ivy', 'I2');
    await session('ivy', 'I3');
    await s.pushers.setPusher('ivy', pusher('i1', { deviceId: 'I1' }), false);
    await s.pushers.setPusher('ivy', pusher('i2', { deviceId: 'I2' }), false);
    await s.pushers.setPusher('ivy', pusher('i3', { deviceId: 'I3' }), false);
    assert.deepEqual(await s.deleteDevices('ivy', ['I1']), ['I1']);
    assert.deepEqual((await s.pushers.getPushers('ivy')).map((p) => p.pushkey), ['i2', 'i3']);
    await s.deleteDevices('ivy', undefined, 'I3');
    assert.deepEqual((await s.pushers.getPushers('ivy')).map((p) => p.pushkey), ['i3']);
  });

  it('a password change that logs out other devices deletes their pushers; deactivation deletes all', async () => {
    await s.createAccount({ localpart: 'jo', passwordHash: 'h', accountType: 'user', isAdmin: false, deactivated: false, appserviceId: null, createdTs: T }, null);
    await session('jo', 'J1');
    await session('jo', 'J2');
    await s.pushers.setPusher('jo', pusher('j1', { deviceId: 'J1' }), false);
    await s.pushers.setPusher('jo', pusher('j2', { deviceId: 'J2' }), false);
    await s.pushers.setPusher('jo', pusher('j3', { deviceId: null }), false);
    await s.setPasswordHash('jo', 'h2', { exceptDeviceId: 'J1' });
    assert.deepEqual((await s.pushers.getPushers('jo')).map((p) => p.pushkey), ['j1', 'j3']);
    await s.deactivateAccount('jo', false);
    assert.deepEqual(await s.pushers.getPushers('jo'), []);
  });
}
