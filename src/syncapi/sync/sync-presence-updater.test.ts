import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PerformPresenceUpdateRequest } from '../../userapi/api.js';
import type { SyncPresence } from '../storage/index.js';
import { createSyncPresenceUpdater, RECENTLY_SET_MS } from './sync-presence-updater.js';

const A = '@a:hs';

function setup(opts: { enabled?: boolean; fail?: boolean } = {}) {
  const calls: PerformPresenceUpdateRequest[] = [];
  const warnings: unknown[] = [];
  const stored = new Map<string, SyncPresence>();
  const clock = { now: 1_000_000 };
  const update = createSyncPresenceUpdater({
    enabled: opts.enabled ?? true,
    now: () => clock.now,
    logger: { warn: (o: unknown) => void warnings.push(o) },
    storage: { presenceOf: async (u) => stored.get(u) },
    userapi: {
      async performPresenceUpdate(req) {
        calls.push(req);
        if (opts.fail === true) throw new Error('userapi down');
        return { presence: { userId: req.userId, presence: req.presence, statusMsg: null, lastActiveTs: null, lastActiveAgo: null, currentlyActive: false, streamPosition: 1 } };
      },
    },
  });
  const store = (presence: SyncPresence['presence'], statusMsg: string | null = null) =>
    stored.set(A, { position: 1, userId: A, presence, statusMsg, lastActiveTs: null, currentlyActive: false, sourcePosition: 1 });
  return { update, calls, warnings, store, clock };
}

describe('set_presence of /sync', () => {
  it('absent means online; a stored online changes nothing', async () => {
    const s = setup();
    await s.update(A, undefined);
    assert.deepEqual(s.calls, [{ userId: A, presence: 'online', statusMsg: null }]);
    s.store('online');
    s.clock.now += RECENTLY_SET_MS;
    await s.update(A, 'online');
    assert.equal(s.calls.length, 1);
  });

  it('a state found stored is trusted for the window too (a change made elsewhere meanwhile waits)', async () => {
    const s = setup();
    s.store('online');
    await s.update(A, 'online');
    s.store('unavailable');
    s.clock.now += RECENTLY_SET_MS - 1;
    await s.update(A, 'online');
    assert.deepEqual(s.calls, []);
    s.clock.now += 1;
    await s.update(A, 'online');
    assert.deepEqual(s.calls, [{ userId: A, presence: 'online', statusMsg: null }]);
  });

  it('polls before the change is stored do not ask again; after the window they do', async () => {
    const s = setup();
    await s.update(A, 'online');
    await s.update(A, 'online');
    s.clock.now += RECENTLY_SET_MS - 1;
    await s.update(A, 'online');
    assert.equal(s.calls.length, 1);
    s.clock.now += 1;
    await s.update(A, 'online');
    assert.equal(s.calls.length, 2);
  });

  it('unavailable replaces a stored online and keeps the status message', async () => {
    const s = setup();
    s.store('online', 'at lunch');
    await s.update(A, 'unavailable');
    assert.deepEqual(s.calls, [{ userId: A, presence: 'unavailable', statusMsg: 'at lunch' }]);
  });

  it('offline never changes presence (spec: the client is only not marked online)', async () => {
    const s = setup();
    s.store('online');
    await s.update(A, 'offline');
    assert.deepEqual(s.calls, []);
  });

  it('with presence disabled nothing is asked', async () => {
    const s = setup({ enabled: false });
    await s.update(A, 'online');
    assert.deepEqual(s.calls, []);
  });

  it('a failing userapi is logged, not thrown', async () => {
    const s = setup({ fail: true });
    await s.update(A, 'online');
    assert.equal(s.calls.length, 1);
    assert.equal(s.warnings.length, 1);
  });
});
