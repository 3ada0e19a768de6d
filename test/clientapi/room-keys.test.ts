/** Server-side key backups over HTTP: `/room_keys/version` and `/room_keys/keys[/{roomId}[/{sessionId}]]`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const ALGO = 'm.megolm_backup.v1.curve25519-aes-sha2';
const ROOM = '!room:test.local';
const ROOM2 = '!other:test.local';
const enc = encodeURIComponent;

/** A wire `KeyBackupData` whose ciphertext is `tag`, so tests can tell which upload is stored. */
function keyData(tag: string, isVerified: boolean, firstMessageIndex: number, forwardedCount: number): Record<string, unknown> {
  return {
    first_message_index: firstMessageIndex,
    forwarded_count: forwardedCount,
    is_verified: isVerified,
    session_data: { ephemeral: 'base64+ephemeral', ciphertext: tag, mac: 'base64+mac' },
  };
}

describe('room key backups', () => {
  let s: ClientTestServer;
  let counter = 0;
  before(async () => {
    s = await startClientTestServer();
  });
  after(() => s.stop());

  const fresh = () => s.register(`kb${++counter}`);
  const call = (u: TestUser, method: string, path: string, body?: unknown): Promise<Res> => s.call(method, V3 + path, { token: u.accessToken, body });
  const createVersion = async (u: TestUser, authData: Record<string, unknown> = { public_key: 'pk' }): Promise<string> => {
    const res = await call(u, 'POST', '/room_keys/version', { algorithm: ALGO, auth_data: authData });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return String(res.body.version);
  };
  const sessionPath = (v: string, roomId: string, sessionId: string) => `/room_keys/keys/${enc(roomId)}/${enc(sessionId)}?version=${enc(v)}`;
  const versionInfo = async (u: TestUser) => (await call(u, 'GET', '/room_keys/version')).body;

  it('creates a version and reads it as the current one and by number', async () => {
    const u = await fresh();
    const none = await call(u, 'GET', '/room_keys/version');
    assert.deepEqual([none.status, none.body.errcode], [404, 'M_NOT_FOUND']);
    const authData = { public_key: 'abcdefg', signatures: { [u.userId]: { [`ed25519:${u.deviceId}`]: 'sig' } } };
    const v = await createVersion(u, authData);
    assert.equal(v, '1');
    const expected = { version: '1', algorithm: ALGO, auth_data: authData, etag: '0', count: 0 };
    const current = await call(u, 'GET', '/room_keys/version');
    assert.deepEqual([current.status, current.body], [200, expected]);
    const byNumber = await call(u, 'GET', `/room_keys/version/${v}`);
    assert.deepEqual([byNumber.status, byNumber.body], [200, expected]);
    const unknown = await call(u, 'GET', '/room_keys/version/2');
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    assert.equal(await createVersion(u), '2');
    assert.equal((await versionInfo(u)).version, '2');
  });

  it('refuses a malformed version creation', async () => {
    const u = await fresh();
    const noAuth = await call(u, 'POST', '/room_keys/version', { algorithm: ALGO });
    assert.deepEqual([noAuth.status, noAuth.body.errcode], [400, 'M_MISSING_PARAM']);
    const badAuth = await call(u, 'POST', '/room_keys/version', { algorithm: ALGO, auth_data: 'x' });
    assert.deepEqual([badAuth.status, badAuth.body.errcode], [400, 'M_BAD_JSON']);
    const noToken = await s.call('POST', `${V3}/room_keys/version`, { body: { algorithm: ALGO, auth_data: {} } });
    assert.deepEqual([noToken.status, noToken.body.errcode], [401, 'M_MISSING_TOKEN']);
  });

  it('updates only auth_data, checking algorithm and body version', async () => {
    const u = await fresh();
    const v = await createVersion(u, { public_key: 'old' });
    const ok = await call(u, 'PUT', `/room_keys/version/${v}`, { algorithm: ALGO, auth_data: { public_key: 'new' }, version: v });
    assert.deepEqual([ok.status, ok.body], [200, {}]);
    assert.deepEqual((await versionInfo(u)).auth_data, { public_key: 'new' });
    const noVersion = await call(u, 'PUT', `/room_keys/version/${v}`, { algorithm: ALGO, auth_data: { public_key: 'newer' } });
    assert.equal(noVersion.status, 200, 'the body version is optional');
    const otherAlgo = await call(u, 'PUT', `/room_keys/version/${v}`, { algorithm: 'org.example.algo', auth_data: {} });
    assert.deepEqual([otherAlgo.status, otherAlgo.body.errcode], [400, 'M_INVALID_PARAM']);
    const mismatch = await call(u, 'PUT', `/room_keys/version/${v}`, { algorithm: ALGO, auth_data: {}, version: '5' });
    assert.deepEqual([mismatch.status, mismatch.body.errcode], [400, 'M_INVALID_PARAM']);
    const unknown = await call(u, 'PUT', '/room_keys/version/5', { algorithm: ALGO, auth_data: {} });
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    assert.deepEqual((await versionInfo(u)).auth_data, { public_key: 'newer' }, 'refused updates changed nothing');
  });

  it('deletes a version with its keys; the deleted version is 404 and its number never comes back', async () => {
    const u = await fresh();
    const v1 = await createVersion(u);
    const v2 = await createVersion(u);
    assert.equal((await call(u, 'PUT', sessionPath(v2, ROOM, 's1'), keyData('a', false, 0, 0))).status, 200);
    const del = await call(u, 'DELETE', `/room_keys/version/${v2}`);
    assert.deepEqual([del.status, del.body], [200, {}]);
    const again = await call(u, 'DELETE', `/room_keys/version/${v2}`);
    assert.deepEqual([again.status, again.body], [200, {}], 'deleting a deleted backup succeeds');
    const never = await call(u, 'DELETE', '/room_keys/version/9');
    assert.deepEqual([never.status, never.body.errcode], [404, 'M_NOT_FOUND']);
    for (const path of [`/room_keys/version/${v2}`, `/room_keys/keys?version=${v2}`, `/room_keys/keys/${enc(ROOM)}?version=${v2}`, sessionPath(v2, ROOM, 's1')]) {
      const res = await call(u, 'GET', path);
      assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND'], path);
    }
    const delKeys = await call(u, 'DELETE', `/room_keys/keys?version=${v2}`);
    assert.deepEqual([delKeys.status, delKeys.body.errcode], [404, 'M_NOT_FOUND']);
    assert.equal((await versionInfo(u)).version, v1, 'the previous backup is current again');
    assert.equal(await createVersion(u), '3');
  });

  it('stores keys at every level, answering etag and count, and reads them back', async () => {
    const u = await fresh();
    const v = await createVersion(u);
    const a = keyData('a', false, 0, 0);
    const b = keyData('b', true, 4, 1);
    const c = keyData('c', false, 2, 0);
    const all = await call(u, 'PUT', `/room_keys/keys?version=${v}`, { rooms: { [ROOM]: { sessions: { s1: a } } } });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(Object.keys(all.body).sort(), ['count', 'etag']);
    assert.equal(all.body.count, 1);
    assert.equal(typeof all.body.etag, 'string');
    const room = await call(u, 'PUT', `/room_keys/keys/${enc(ROOM)}?version=${v}`, { sessions: { s2: b } });
    assert.equal(room.body.count, 2);
    assert.notEqual(room.body.etag, all.body.etag);
    const one = await call(u, 'PUT', sessionPath(v, ROOM2, 's3'), c);
    assert.equal(one.body.count, 3);
    assert.notEqual(one.body.etag, room.body.etag);
    assert.deepEqual((await versionInfo(u)).etag, one.body.etag);
    assert.equal((await versionInfo(u)).count, 3);

    assert.deepEqual((await call(u, 'GET', `/room_keys/keys?version=${v}`)).body, {
      rooms: { [ROOM]: { sessions: { s1: a, s2: b } }, [ROOM2]: { sessions: { s3: c } } },
    });
    assert.deepEqual((await call(u, 'GET', `/room_keys/keys/${enc(ROOM2)}?version=${v}`)).body, { sessions: { s3: c } });
    assert.deepEqual((await call(u, 'GET', `/room_keys/keys/${enc('!none:test.local')}?version=${v}`)).body, { sessions: {} });
    const got = await call(u, 'GET', sessionPath(v, ROOM, 's2'));
    assert.deepEqual([got.status, got.body], [200, b]);
    const missing = await call(u, 'GET', sessionPath(v, ROOM, 'nope'));
    assert.deepEqual([missing.status, missing.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('answers {"rooms": {}} for an empty backup and 404 for an unknown version', async () => {
    const u = await fresh();
    const v = await createVersion(u);
    const empty = await call(u, 'GET', `/room_keys/keys?version=${v}`);
    assert.deepEqual([empty.status, empty.body], [200, { rooms: {} }]);
    const unknown = await call(u, 'GET', '/room_keys/keys?version=7');
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('requires the version query parameter', async () => {
    const u = await fresh();
    await createVersion(u);
    const cases: Array<[string, string, unknown]> = [
      ['GET', '/room_keys/keys', undefined],
      ['PUT', '/room_keys/keys', { rooms: {} }],
      ['DELETE', `/room_keys/keys/${enc(ROOM)}`, undefined],
      ['GET', `/room_keys/keys/${enc(ROOM)}/s1`, undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await call(u, method, path, body);
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_MISSING_PARAM'], `${method} ${path}`);
    }
  });

  it('refuses malformed keys and IDs', async () => {
    const u = await fresh();
    const v = await createVersion(u);
    const missingField = await call(u, 'PUT', sessionPath(v, ROOM, 's'), { first_message_index: 0, forwarded_count: 0, session_data: {} });
    assert.deepEqual([missingField.status, missingField.body.errcode], [400, 'M_MISSING_PARAM']);
    const negative = await call(u, 'PUT', sessionPath(v, ROOM, 's'), keyData('x', false, -1, 0));
    assert.deepEqual([negative.status, negative.body.errcode], [400, 'M_BAD_JSON']);
    const notRoom = await call(u, 'PUT', sessionPath(v, 'room', 's'), keyData('x', false, 0, 0));
    assert.deepEqual([notRoom.status, notRoom.body.errcode], [400, 'M_INVALID_PARAM']);
    const bodyRoom = await call(u, 'PUT', `/room_keys/keys?version=${v}`, { rooms: { room: { sessions: { s: keyData('x', false, 0, 0) } } } });
    assert.deepEqual([bodyRoom.status, bodyRoom.body.errcode], [400, 'M_BAD_JSON']);
    assert.equal((await versionInfo(u)).count, 0);
  });

  it('keeps or replaces a stored key by the spec order, moving the etag only on replacement', async () => {
    const u = await fresh();
    const v = await createVersion(u);
    // [session, stored, uploaded, which one must remain]
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, 'stored' | 'uploaded']> = [
      ['verified-wins', keyData('stored', false, 0, 0), keyData('uploaded', true, 8, 8), 'uploaded'],
      ['unverified-loses', keyData('stored', true, 8, 8), keyData('uploaded', false, 0, 0), 'stored'],
      ['lower-index-wins', keyData('stored', false, 6, 0), keyData('uploaded', false, 3, 5), 'uploaded'],
      ['higher-index-loses', keyData('stored', true, 3, 5), keyData('uploaded', true, 6, 0), 'stored'],
      ['fewer-forwards-win', keyData('stored', true, 2, 4), keyData('uploaded', true, 2, 0), 'uploaded'],
      ['more-forwards-lose', keyData('stored', false, 2, 0), keyData('uploaded', false, 2, 4), 'stored'],
      ['tie-keeps-stored', keyData('stored', false, 2, 0), keyData('uploaded', false, 2, 0), 'stored'],
    ];
    for (const [session, stored] of cases) assert.equal((await call(u, 'PUT', sessionPath(v, ROOM, session), stored)).status, 200);
    for (const [session, stored, uploaded, winner] of cases) {
      const before = String((await versionInfo(u)).etag);
      const res = await call(u, 'PUT', `/room_keys/keys/${enc(ROOM)}?version=${v}`, { sessions: { [session]: uploaded } });
      assert.equal(res.status, 200);
      assert.equal(res.body.count, cases.length);
      assert.equal(res.body.etag !== before, winner === 'uploaded', `${session}: etag moves only on replacement`);
      assert.deepEqual((await call(u, 'GET', sessionPath(v, ROOM, session))).body, winner === 'stored' ? stored : uploaded, session);
    }
  });

  it('refuses writes to an old version with M_WRONG_ROOM_KEYS_VERSION and the current version', async () => {
    const u = await fresh();
    const noBackup = await call(u, 'PUT', sessionPath('1', ROOM, 's'), keyData('x', false, 0, 0));
    assert.deepEqual([noBackup.status, noBackup.body.errcode], [404, 'M_NOT_FOUND']);
    const v1 = await createVersion(u);
    const v2 = await createVersion(u);
    const writes: Array<[string, unknown]> = [
      [`/room_keys/keys?version=${v1}`, { rooms: { [ROOM]: { sessions: { s: keyData('x', false, 0, 0) } } } }],
      [`/room_keys/keys/${enc(ROOM)}?version=${v1}`, { sessions: { s: keyData('x', false, 0, 0) } }],
      [sessionPath(v1, ROOM, 's'), keyData('x', false, 0, 0)],
      [sessionPath('42', ROOM, 's'), keyData('x', false, 0, 0)],
    ];
    for (const [path, body] of writes) {
      const res = await call(u, 'PUT', path, body);
      assert.equal(res.status, 403, path);
      assert.deepEqual([res.body.errcode, res.body.current_version], ['M_WRONG_ROOM_KEYS_VERSION', v2], path);
    }
    assert.deepEqual((await call(u, 'GET', `/room_keys/keys?version=${v1}`)).body, { rooms: {} }, 'the old version is still readable, and empty');
  });

  it('deletes keys at every level, answering etag and count', async () => {
    const u = await fresh();
    const v = await createVersion(u);
    const put = await call(u, 'PUT', `/room_keys/keys?version=${v}`, {
      rooms: { [ROOM]: { sessions: { s1: keyData('a', false, 0, 0), s2: keyData('b', false, 0, 0) } }, [ROOM2]: { sessions: { s3: keyData('c', false, 0, 0), s4: keyData('d', false, 0, 0) } } },
    });
    assert.equal(put.body.count, 4);
    const nothing = await call(u, 'DELETE', sessionPath(v, ROOM, 'absent'));
    assert.deepEqual(nothing.body, put.body, 'deleting nothing changes neither etag nor count');
    const one = await call(u, 'DELETE', sessionPath(v, ROOM, 's1'));
    assert.equal(one.body.count, 3);
    assert.notEqual(one.body.etag, put.body.etag);
    assert.equal((await call(u, 'GET', sessionPath(v, ROOM, 's1'))).status, 404);
    const room = await call(u, 'DELETE', `/room_keys/keys/${enc(ROOM2)}?version=${v}`);
    assert.equal(room.body.count, 1);
    assert.notEqual(room.body.etag, one.body.etag);
    assert.deepEqual((await call(u, 'GET', `/room_keys/keys?version=${v}`)).body, { rooms: { [ROOM]: { sessions: { s2: keyData('b', false, 0, 0) } } } });
    const all = await call(u, 'DELETE', `/room_keys/keys?version=${v}`);
    assert.equal(all.body.count, 0);
    assert.notEqual(all.body.etag, room.body.etag);
    assert.deepEqual((await versionInfo(u)).count, 0);
  });

  it("never shows or touches another user's backup", async () => {
    const owner = await fresh();
    const other = await fresh();
    const v = await createVersion(owner);
    await call(owner, 'PUT', sessionPath(v, ROOM, 's1'), keyData('secret', true, 0, 0));
    const reads: Array<[string, string, unknown]> = [
      ['GET', '/room_keys/version', undefined],
      ['GET', `/room_keys/version/${v}`, undefined],
      ['GET', `/room_keys/keys?version=${v}`, undefined],
      ['GET', sessionPath(v, ROOM, 's1'), undefined],
      ['PUT', `/room_keys/version/${v}`, { algorithm: ALGO, auth_data: { public_key: 'evil' } }],
      ['DELETE', `/room_keys/keys?version=${v}`, undefined],
      ['DELETE', `/room_keys/version/${v}`, undefined],
      ['PUT', sessionPath(v, ROOM, 's1'), keyData('evil', true, 0, 0)],
    ];
    for (const [method, path, body] of reads) {
      const res = await call(other, method, path, body);
      assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND'], `${method} ${path}`);
    }
    const info = await versionInfo(owner);
    assert.deepEqual([info.version, info.auth_data, info.count], [v, { public_key: 'pk' }, 1]);
    assert.deepEqual((await call(owner, 'GET', sessionPath(v, ROOM, 's1'))).body, keyData('secret', true, 0, 0));
  });
});
