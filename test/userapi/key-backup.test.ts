/** The userapi API: server-side key backups (versions and session keys). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import type { KeyBackupSessionKey } from '../../src/userapi/api.js';
import { describeUserApi, rejectsWith } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;
const ALGO = 'm.megolm_backup.v1.curve25519-aes-sha2';
const ROOM = '!room:test.local';
const ROOM2 = '!other:test.local';

/** A key whose `session_data` carries `tag`, so tests can tell which upload is stored. */
function key(tag: string, isVerified: boolean, firstMessageIndex: number, forwardedCount: number): KeyBackupSessionKey {
  return { firstMessageIndex, forwardedCount, isVerified, sessionData: { ephemeral: 'e', ciphertext: tag, mac: 'm' } };
}

describeUserApi('userapi key backup', (api) => {
  const register = (localpart: string) => api().performAccountCreation({ localpart, accountType: 'user', password: 'pw' });
  const create = async (localpart: string, authData: Record<string, unknown> = { public_key: 'pk' }) =>
    (await api().performKeyBackupVersionCreate({ userId: uid(localpart), algorithm: ALGO, authData })).version;
  const upload = (localpart: string, version: string, rooms: Record<string, Record<string, KeyBackupSessionKey>>) =>
    api().performKeyBackupKeysUpload({ userId: uid(localpart), version, rooms });
  const stored = async (localpart: string, version: string, roomId: string, sessionId: string) =>
    (await api().queryKeyBackupKeys({ userId: uid(localpart), version, roomId, sessionId })).rooms?.[roomId]?.[sessionId];

  it('creates versions numbered 1, 2 …; the newest is current and older ones stay readable', async () => {
    await register('ann');
    assert.deepEqual(await api().queryKeyBackupVersion({ userId: uid('ann') }), { backup: null });
    assert.equal(await create('ann', { public_key: 'one', signatures: { [uid('ann')]: { 'ed25519:DEV': 'sig' } } }), '1');
    assert.deepEqual(await api().queryKeyBackupVersion({ userId: uid('ann') }), {
      backup: { version: '1', algorithm: ALGO, authData: { public_key: 'one', signatures: { [uid('ann')]: { 'ed25519:DEV': 'sig' } } }, etag: '0', count: 0 },
    });
    assert.equal(await create('ann', { public_key: 'two' }), '2');
    assert.equal((await api().queryKeyBackupVersion({ userId: uid('ann') })).backup?.version, '2');
    assert.deepEqual((await api().queryKeyBackupVersion({ userId: uid('ann'), version: '2' })).backup?.authData, { public_key: 'two' });
    assert.equal((await api().queryKeyBackupVersion({ userId: uid('ann'), version: '1' })).backup?.authData.public_key, 'one');
    for (const v of ['3', '01', 'abc', '1e0', '-1', '']) {
      assert.deepEqual(await api().queryKeyBackupVersion({ userId: uid('ann'), version: v }), { backup: null }, v);
    }
  });

  it('never reuses a deleted version number, and deleting the current one makes the previous current', async () => {
    await register('ben');
    await create('ben');
    await create('ben');
    await api().performKeyBackupVersionDelete({ userId: uid('ben'), version: '2' });
    assert.equal((await api().queryKeyBackupVersion({ userId: uid('ben') })).backup?.version, '1');
    assert.deepEqual(await api().queryKeyBackupVersion({ userId: uid('ben'), version: '2' }), { backup: null });
    assert.equal(await create('ben'), '3');
  });

  it('deletes a version with its keys; again is fine, an unknown version is M_NOT_FOUND', async () => {
    await register('cat');
    const v = await create('cat');
    await upload('cat', v, { [ROOM]: { s1: key('a', false, 0, 0), s2: key('b', false, 0, 0) } });
    assert.deepEqual(await api().performKeyBackupVersionDelete({ userId: uid('cat'), version: v }), {});
    assert.deepEqual(await api().queryKeyBackupKeys({ userId: uid('cat'), version: v }), { rooms: null });
    assert.deepEqual(await api().performKeyBackupVersionDelete({ userId: uid('cat'), version: v }), {}, 'deleting twice succeeds');
    await rejectsWith(api().performKeyBackupVersionDelete({ userId: uid('cat'), version: '7' }), 'M_NOT_FOUND');
    await rejectsWith(api().performKeyBackupVersionDelete({ userId: uid('cat'), version: 'x' }), 'M_NOT_FOUND');
    await rejectsWith(upload('cat', v, { [ROOM]: { s1: key('a', false, 0, 0) } }), 'M_NOT_FOUND');
    const again = await create('cat');
    await upload('cat', again, { [ROOM]: { s1: key('c', false, 0, 0) } });
    assert.equal((await api().queryKeyBackupVersion({ userId: uid('cat') })).backup?.count, 1, 'the deleted version left no keys behind');
  });

  it('updates auth_data only, keeping the algorithm', async () => {
    await register('dan');
    const v = await create('dan', { public_key: 'old' });
    assert.deepEqual(await api().performKeyBackupVersionUpdate({ userId: uid('dan'), version: v, algorithm: ALGO, authData: { public_key: 'new' } }), {});
    assert.deepEqual((await api().queryKeyBackupVersion({ userId: uid('dan'), version: v })).backup?.authData, { public_key: 'new' });
    await rejectsWith(api().performKeyBackupVersionUpdate({ userId: uid('dan'), version: v, algorithm: 'org.example.other', authData: {} }), 'M_INVALID_PARAM');
    await rejectsWith(api().performKeyBackupVersionUpdate({ userId: uid('dan'), version: '9', algorithm: ALGO, authData: {} }), 'M_NOT_FOUND');
    await api().performKeyBackupVersionDelete({ userId: uid('dan'), version: v });
    await rejectsWith(api().performKeyBackupVersionUpdate({ userId: uid('dan'), version: v, algorithm: ALGO, authData: {} }), 'M_NOT_FOUND');
  });

  it('counts keys and moves the etag only when keys change', async () => {
    await register('eve');
    const v = await create('eve');
    const first = await upload('eve', v, { [ROOM]: { s1: key('a', false, 3, 0), s2: key('b', false, 3, 0) }, [ROOM2]: { s3: key('c', true, 0, 0) } });
    assert.equal(first.count, 3);
    assert.notEqual(first.etag, '0');
    const same = await upload('eve', v, { [ROOM]: { s1: key('a', false, 3, 0) } });
    assert.deepEqual(same, first, 'an upload that stores nothing leaves the etag alone');
    const worse = await upload('eve', v, { [ROOM]: { s1: key('worse', false, 4, 0) } });
    assert.deepEqual(worse, first, 'a worse key is not stored');
    const better = await upload('eve', v, { [ROOM]: { s1: key('better', false, 1, 0) } });
    assert.equal(better.count, 3);
    assert.notEqual(better.etag, first.etag);
    const more = await upload('eve', v, { [ROOM2]: { s4: key('d', false, 0, 0) } });
    assert.equal(more.count, 4);
    assert.notEqual(more.etag, better.etag);
    assert.deepEqual((await api().queryKeyBackupVersion({ userId: uid('eve') })).backup?.etag, more.etag);
    assert.equal((await api().queryKeyBackupVersion({ userId: uid('eve') })).backup?.count, 4);
  });

  it('replaces a stored key by the spec order: verified, then lower first index, then fewer forwards', async () => {
    await register('fay');
    const v = await create('fay');
    // [session, stored, uploaded, which one must remain]
    const cases: Array<[string, KeyBackupSessionKey, KeyBackupSessionKey, 'stored' | 'uploaded']> = [
      ['verified-beats-index', key('stored', false, 0, 0), key('uploaded', true, 9, 9), 'uploaded'],
      ['unverified-loses', key('stored', true, 9, 9), key('uploaded', false, 0, 0), 'stored'],
      ['lower-index-wins', key('stored', true, 5, 0), key('uploaded', true, 2, 7), 'uploaded'],
      ['higher-index-loses', key('stored', false, 2, 7), key('uploaded', false, 5, 0), 'stored'],
      ['fewer-forwards-wins', key('stored', false, 4, 3), key('uploaded', false, 4, 1), 'uploaded'],
      ['more-forwards-loses', key('stored', true, 4, 1), key('uploaded', true, 4, 3), 'stored'],
      ['equal-keeps-stored', key('stored', true, 4, 1), key('uploaded', true, 4, 1), 'stored'],
    ];
    for (const [session, s] of cases) await upload('fay', v, { [ROOM]: { [session]: s } });
    for (const [session, s, u, winner] of cases) {
      const before = await api().queryKeyBackupVersion({ userId: uid('fay') });
      const res = await upload('fay', v, { [ROOM]: { [session]: u } });
      assert.deepEqual(await stored('fay', v, ROOM, session), winner === 'stored' ? s : u, session);
      assert.equal(res.etag !== before.backup?.etag, winner === 'uploaded', `${session}: the etag moves only on replacement`);
      assert.equal(res.count, cases.length);
    }
  });

  it('refuses writes to a version that is not the current one, naming the current one', async () => {
    await register('gus');
    await rejectsWith(upload('gus', '1', { [ROOM]: { s: key('a', false, 0, 0) } }), 'M_NOT_FOUND');
    const v1 = await create('gus');
    const v2 = await create('gus');
    for (const v of [v1, '5', 'nope']) {
      await assert.rejects(upload('gus', v, { [ROOM]: { s: key('a', false, 0, 0) } }), (e: unknown) => {
        assert.ok(e instanceof MatrixError);
        assert.deepEqual([e.status, e.errcode, e.extra], [403, 'M_WRONG_ROOM_KEYS_VERSION', { current_version: v2 }]);
        return true;
      });
    }
    assert.deepEqual(await api().queryKeyBackupKeys({ userId: uid('gus'), version: v1 }), { rooms: {} }, 'nothing reached the old version');
  });

  it('reads and deletes keys for the whole backup, a room, or a session', async () => {
    await register('hal');
    const v = await create('hal');
    const [a, b, c] = [key('a', false, 0, 0), key('b', true, 1, 0), key('c', false, 2, 1)];
    const written = await upload('hal', v, { [ROOM]: { s1: a, s2: b }, [ROOM2]: { s3: c } });
    const q = (roomId?: string, sessionId?: string) => api().queryKeyBackupKeys({ userId: uid('hal'), version: v, roomId, sessionId });
    assert.deepEqual(await q(), { rooms: { [ROOM]: { s1: a, s2: b }, [ROOM2]: { s3: c } } });
    assert.deepEqual(await q(ROOM2), { rooms: { [ROOM2]: { s3: c } } });
    assert.deepEqual(await q(ROOM, 's2'), { rooms: { [ROOM]: { s2: b } } });
    assert.deepEqual(await q(ROOM, 'missing'), { rooms: {} });
    assert.deepEqual(await q('!empty:test.local'), { rooms: {} });
    assert.deepEqual(await api().queryKeyBackupKeys({ userId: uid('hal'), version: '8' }), { rooms: null });

    const del = (roomId?: string, sessionId?: string) => api().performKeyBackupKeysDelete({ userId: uid('hal'), version: v, roomId, sessionId });
    const none = await del(ROOM, 'missing');
    assert.deepEqual(none, written, 'deleting nothing leaves etag and count');
    const one = await del(ROOM, 's2');
    assert.equal(one.count, 2);
    assert.notEqual(one.etag, written.etag);
    assert.deepEqual(await q(ROOM), { rooms: { [ROOM]: { s1: a } } });
    const room = await del(ROOM2);
    assert.equal(room.count, 1);
    assert.notEqual(room.etag, one.etag);
    const all = await del();
    assert.equal(all.count, 0);
    assert.notEqual(all.etag, room.etag);
    assert.deepEqual(await q(), { rooms: {} });
    await rejectsWith(api().performKeyBackupKeysDelete({ userId: uid('hal'), version: '8' }), 'M_NOT_FOUND');
  });

  it("keeps users' backups apart", async () => {
    await register('ida');
    await register('jon');
    const v = await create('ida');
    await upload('ida', v, { [ROOM]: { s1: key('ida', false, 0, 0) } });
    assert.deepEqual(await api().queryKeyBackupVersion({ userId: uid('jon') }), { backup: null });
    assert.deepEqual(await api().queryKeyBackupVersion({ userId: uid('jon'), version: v }), { backup: null });
    assert.deepEqual(await api().queryKeyBackupKeys({ userId: uid('jon'), version: v }), { rooms: null });
    await rejectsWith(api().performKeyBackupVersionDelete({ userId: uid('jon'), version: v }), 'M_NOT_FOUND');
    await rejectsWith(api().performKeyBackupKeysDelete({ userId: uid('jon'), version: v }), 'M_NOT_FOUND');
    await rejectsWith(upload('jon', v, { [ROOM]: { s1: key('jon', true, 0, 0) } }), 'M_NOT_FOUND');
    assert.equal(await create('jon'), '1', 'version numbers are per user');
    await upload('jon', '1', { [ROOM]: { s1: key('jon', true, 0, 0) } });
    assert.deepEqual((await stored('ida', v, ROOM, 's1'))?.sessionData.ciphertext, 'ida');
    assert.deepEqual(await api().queryKeyBackupVersion({ userId: '@ida:elsewhere' }), { backup: null });
  });

  it('refuses malformed keys and unknown or deactivated users', async () => {
    await register('kim');
    const v = await create('kim');
    const bad: Array<Record<string, unknown>> = [
      { ...key('x', false, 0, 0), firstMessageIndex: -1 },
      { ...key('x', false, 0, 0), forwardedCount: 1.5 },
      { ...key('x', false, 0, 0), isVerified: 'yes' },
      { ...key('x', false, 0, 0), sessionData: 'ciphertext' },
    ];
    for (const k of bad) await rejectsWith(upload('kim', v, { [ROOM]: { s: k as unknown as KeyBackupSessionKey } }), 'M_BAD_JSON');
    assert.equal((await api().queryKeyBackupVersion({ userId: uid('kim') })).backup?.count, 0);
    await rejectsWith(api().performKeyBackupVersionCreate({ userId: uid('kim'), algorithm: ALGO, authData: [] as unknown as Record<string, unknown> }), 'M_BAD_JSON');
    await rejectsWith(api().performKeyBackupVersionCreate({ userId: uid('ghost'), algorithm: ALGO, authData: {} }), 'M_NOT_FOUND');
    await api().performAccountDeactivation({ userId: uid('kim'), erase: false });
    await rejectsWith(api().performKeyBackupVersionCreate({ userId: uid('kim'), algorithm: ALGO, authData: {} }), 'M_USER_DEACTIVATED');
    assert.deepEqual(await api().queryKeyBackupVersion({ userId: uid('kim'), version: v }), { backup: null }, 'deactivation deletes the backups');
  });

  it('keeps the best key and distinct version numbers under concurrent calls', async () => {
    await register('lee');
    const versions = await Promise.all([create('lee'), create('lee'), create('lee'), create('lee')]);
    assert.deepEqual([...versions].sort(), ['1', '2', '3', '4']);
    const uploads = [key('f5', false, 5, 0), key('best', true, 1, 0), key('f0', false, 0, 0), key('t2', true, 2, 0), key('t1f3', true, 1, 3)];
    await Promise.all(uploads.map((k) => upload('lee', '4', { [ROOM]: { s: k } })));
    assert.deepEqual(await stored('lee', '4', ROOM, 's'), key('best', true, 1, 0));
  });

  it('stores a large upload in one call', async () => {
    await register('max');
    const v = await create('max');
    const sessions = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`session${i}`, key(`k${i}`, i % 2 === 0, i, 0)]));
    const res = await upload('max', v, { [ROOM]: sessions });
    assert.equal(res.count, 1200);
    assert.deepEqual(await stored('max', v, ROOM, 'session1199'), key('k1199', false, 1199, 0));
  });
});
