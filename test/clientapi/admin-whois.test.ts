import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVER_NAME, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const WHOIS = '/_matrix/client/v3/admin/whois/';
const AGENT = 'axon-whois-test/1.0';

interface Connection {
  readonly ip: string;
  readonly last_seen: number;
  readonly user_agent?: string;
}
type Devices = Record<string, { sessions: Array<{ connections: Connection[] }> }>;

describe('GET /admin/whois/{userId}', () => {
  let s: ClientTestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    s = await startClientTestServer();
    admin = await s.register('whois-admin', { admin: true });
    alice = await s.register('alice');
    bob = await s.register('bob');
  });
  after(() => s.stop());

  const whois = (as: TestUser, userId: string, prefix = WHOIS): Promise<Res> =>
    s.call('GET', prefix + encodeURIComponent(userId), { token: as.accessToken });

  /** The one connection of the device's one session. */
  function connectionOf(res: Res, deviceId: string): Connection {
    const device = (res.body.devices as Devices)[deviceId];
    assert.ok(device, `device ${deviceId} missing from ${JSON.stringify(res.body)}`);
    assert.equal(device.sessions.length, 1);
    const [session] = device.sessions;
    assert.equal(session?.connections.length, 1);
    return session!.connections[0]!;
  }

  it('shows users their own device as last seen by a request with its token', async () => {
    const start = Date.now();
    // The first authenticated request of the device records its sighting (in the background).
    const res = await fetch(`${s.url}/_matrix/client/v3/account/whoami`, {
      headers: { authorization: `Bearer ${alice.accessToken}`, 'user-agent': AGENT },
    });
    assert.equal(res.status, 200);
    let seen: Res | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await whois(alice, alice.userId);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      if (connectionOf(r, alice.deviceId).user_agent === AGENT) {
        seen = r;
        break;
      }
      await sleep(20);
    }
    assert.ok(seen, 'the sighting of the whoami request never showed up');
    assert.equal(seen.body.user_id, alice.userId);
    assert.deepEqual(Object.keys(seen.body.devices as Devices), [alice.deviceId]);
    const c = connectionOf(seen, alice.deviceId);
    assert.equal(c.ip, '127.0.0.1');
    assert.ok(c.last_seen >= start && c.last_seen <= Date.now(), `last_seen ${c.last_seen}`);
  });

  it('lets an admin look up another user, every device, on both paths', async () => {
    const second = await s.login('bob', bob.password);
    for (const prefix of [WHOIS, '/_synapse/admin/v1/whois/']) {
      const res = await whois(admin, bob.userId, prefix);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.user_id, bob.userId);
      assert.deepEqual(Object.keys(res.body.devices as Devices).sort(), [bob.deviceId, second.deviceId].sort());
      for (const id of [bob.deviceId, second.deviceId]) {
        const c = connectionOf(res, id);
        assert.equal(c.ip, '127.0.0.1');
        assert.equal(typeof c.last_seen, 'number');
      }
    }
  });

  it('forbids non-admins to look up anyone else, even users that do not exist', async () => {
    for (const target of [bob.userId, admin.userId, `@nobody:${SERVER_NAME}`, '@someone:elsewhere.example']) {
      const res = await whois(alice, target);
      assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN'], target);
    }
  });

  it('answers 404 for an unknown local user', async () => {
    const res = await whois(admin, `@nobody:${SERVER_NAME}`);
    assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('answers 400 for a user of another server or a malformed ID', async () => {
    for (const target of ['@someone:elsewhere.example', 'not-a-user-id']) {
      const res = await whois(admin, target);
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM'], target);
    }
  });

  it('requires an access token', async () => {
    const res = await s.call('GET', WHOIS + encodeURIComponent(alice.userId));
    assert.deepEqual([res.status, res.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});
