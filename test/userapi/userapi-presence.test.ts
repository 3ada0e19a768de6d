/** The userapi API: presence. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PresenceState } from '../../src/userapi/api.js';
import { OutputPresenceEvent, type OutputPresenceMessage } from '../../src/userapi/producers/output-presence.js';
import { describeUserApi, rejectsWith, T0 } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;
let consumers = 0;

describeUserApi('userapi presence', (api, env) => {
  const register = (localpart: string) => api().performAccountCreation({ localpart, accountType: 'user', password: 'pw' });
  const set = (localpart: string, presence: PresenceState, statusMsg?: string | null) =>
    api().performPresenceUpdate({ userId: uid(localpart), presence, statusMsg });

  /** Collects the `OutputPresenceEvent` messages of `userIds` from the start of the log. */
  async function collect(userIds: readonly string[], n: number): Promise<OutputPresenceMessage[]> {
    const got: OutputPresenceMessage[] = [];
    const sub = await env.kit().bus.subscribe<OutputPresenceMessage>({
      topic: OutputPresenceEvent,
      consumer: `presence-api-test-${++consumers}`,
      handler: async (m) => void (userIds.includes(m.payload.userId) && got.push(m.payload)),
    });
    try {
      const deadline = Date.now() + 5000;
      while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return got;
    } finally {
      await sub.stop();
    }
  }

  it('reads a user who never set presence as offline, and leaves out unknown and remote users', async () => {
    await register('pam');
    const { presences } = await api().queryPresence({ userIds: [uid('pam'), uid('nobody'), '@pam:elsewhere', uid('pam')] });
    assert.deepEqual(presences, [
      { userId: uid('pam'), presence: 'offline', statusMsg: null, lastActiveTs: null, lastActiveAgo: null, currentlyActive: false, streamPosition: 0 },
    ]);
  });

  it('sets presence, counts activity only for online, and announces each change', async () => {
    await register('ole');
    await register('una');
    env.clock.now = T0;
    const first = (await set('ole', 'online', 'in a meeting')).presence;
    const p = first.streamPosition;
    assert.deepEqual(first, {
      userId: uid('ole'), presence: 'online', statusMsg: 'in a meeting', lastActiveTs: T0, lastActiveAgo: 0, currentlyActive: true, streamPosition: p,
    });
    env.clock.now = T0 + 30_000;
    assert.deepEqual((await set('una', 'unavailable', 'away')).presence, {
      userId: uid('una'), presence: 'unavailable', statusMsg: 'away', lastActiveTs: null, lastActiveAgo: null, currentlyActive: false, streamPosition: p + 1,
    });

    env.clock.now = T0 + 70_000;
    const read = await api().queryPresence({ userIds: [uid('una'), uid('ole')] });
    assert.deepEqual(read.presences, [
      { userId: uid('una'), presence: 'unavailable', statusMsg: 'away', lastActiveTs: null, lastActiveAgo: null, currentlyActive: false, streamPosition: p + 1 },
      // More than a minute since the activity: still online, no longer currently active.
      { userId: uid('ole'), presence: 'online', statusMsg: 'in a meeting', lastActiveTs: T0, lastActiveAgo: 70_000, currentlyActive: false, streamPosition: p },
    ]);

    // Not online: the last activity stays where it was; each call replaces the status message.
    const idle = (await set('ole', 'unavailable')).presence;
    assert.deepEqual([idle.statusMsg, idle.lastActiveTs, idle.lastActiveAgo, idle.streamPosition], [null, T0, 70_000, p + 2]);
    // Going offline always clears the status message.
    const gone = (await set('ole', 'offline', 'bye')).presence;
    assert.deepEqual([gone.presence, gone.statusMsg, gone.currentlyActive, gone.streamPosition], ['offline', null, false, p + 3]);

    const messages = await collect([uid('ole'), uid('una')], 4);
    assert.deepEqual(messages, [
      { type: 'presence', userId: uid('ole'), presence: 'online', statusMsg: 'in a meeting', lastActiveTs: T0, currentlyActive: true, streamPosition: p },
      { type: 'presence', userId: uid('una'), presence: 'unavailable', statusMsg: 'away', lastActiveTs: null, currentlyActive: false, streamPosition: p + 1 },
      { type: 'presence', userId: uid('ole'), presence: 'unavailable', statusMsg: null, lastActiveTs: T0, currentlyActive: false, streamPosition: p + 2 },
      { type: 'presence', userId: uid('ole'), presence: 'offline', statusMsg: null, lastActiveTs: T0, currentlyActive: false, streamPosition: p + 3 },
    ]);
  });

  it('refuses unknown states and unknown or deactivated users; a deactivated user reads as offline', async () => {
    await register('dee');
    await set('dee', 'online', 'here');
    await rejectsWith(set('dee', 'busy' as PresenceState), 'M_INVALID_PARAM');
    await rejectsWith(set('nobody', 'online'), 'M_NOT_FOUND');
    await rejectsWith(api().performPresenceUpdate({ userId: '@dee:elsewhere', presence: 'online' }), 'M_NOT_FOUND');
    await api().performAccountDeactivation({ userId: uid('dee'), erase: false });
    await rejectsWith(set('dee', 'online'), 'M_USER_DEACTIVATED');
    const { presences } = await api().queryPresence({ userIds: [uid('dee')] });
    assert.deepEqual(presences.map((x) => [x.presence, x.statusMsg, x.lastActiveTs]), [['offline', null, null]]);
  });
});
