import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parseSyncFilter } from '../filter/parse-filter.js';
import { createTypingCache, type TypingCache } from '../typing-cache.js';
import type { SyncRequestContext } from './stream-provider.js';
import { emptySyncResponse } from './sync-response.js';
import { typingStreamProvider } from './typing-stream-provider.js';

const START = 1_700_000_000_000;
const JOINED = '!joined:hs';
const OTHER = '!other:hs';
const LEFT = '!left:hs';
const A = '@a:hs';
const B = '@b:hs';

function context(filter: unknown = {}): SyncRequestContext {
  return {
    userId: B,
    deviceId: 'DEV',
    filter: parseSyncFilter(filter),
    useStateAfter: false,
    now: START,
    fullState: false,
    memberships: [
      { roomId: JOINED, membership: 'join', eventId: '$j', addedAt: 1 },
      { roomId: OTHER, membership: 'join', eventId: '$o', addedAt: 2 },
      { roomId: LEFT, membership: 'leave', eventId: '$l', addedAt: 3 },
    ],
    response: emptySyncResponse(),
  };
}
const typingOf = (ctx: SyncRequestContext) =>
  Object.fromEntries(Object.entries(ctx.response.rooms.join).map(([roomId, r]) => [roomId, r.ephemeral.events]));

describe('typing stream provider', () => {
  let cache: TypingCache;
  afterEach(() => cache.close());
  const setup = () => {
    cache = createTypingCache({ now: () => START, onExpire: () => {} });
    for (const roomId of [JOINED, OTHER, LEFT]) cache.update({ roomId, userId: A, typing: true, expiresAt: START + 60_000 });
    cache.update({ roomId: OTHER, userId: A, typing: false, expiresAt: 0 });
    return typingStreamProvider(cache);
  };

  it('initial: the joined rooms where someone types', async () => {
    const p = setup();
    const ctx = context();
    await p.initial(ctx, await p.latest(ctx));
    assert.deepEqual(typingOf(ctx), { [JOINED]: [{ type: 'm.typing', content: { user_ids: [A] } }] });
  });

  it('incremental: the joined rooms changed in the range, an empty list where typing stopped', async () => {
    const p = setup();
    const ctx = context();
    await p.incremental(ctx, START, START + 3);
    assert.deepEqual(typingOf(ctx), { [OTHER]: [{ type: 'm.typing', content: { user_ids: [] } }] });
    const all = context();
    // A token from before this process (below its start time): every room changed since.
    await p.incremental(all, 42, START + 3);
    assert.deepEqual(typingOf(all), {
      [JOINED]: [{ type: 'm.typing', content: { user_ids: [A] } }],
      [OTHER]: [{ type: 'm.typing', content: { user_ids: [] } }],
    });
  });

  it('a token ahead of the cache gets the current state once, and the cache catches up to it', async () => {
    const p = setup();
    const ahead = START + 1000;
    const ctx = context();
    await p.incremental(ctx, ahead, ahead);
    assert.deepEqual(typingOf(ctx), { [JOINED]: [{ type: 'm.typing', content: { user_ids: [A] } }] });
    assert.equal(await p.latest(ctx), ahead);
    const again = context();
    await p.incremental(again, ahead, await p.latest(again));
    assert.deepEqual(typingOf(again), {});
    cache.update({ roomId: JOINED, userId: B, typing: true, expiresAt: START + 60_000 });
    const later = context();
    await p.incremental(later, ahead, await p.latest(later));
    assert.deepEqual(typingOf(later), { [JOINED]: [{ type: 'm.typing', content: { user_ids: [A, B] } }] });
  });

  it("honours the filter's room list and room.ephemeral types", async () => {
    const p = setup();
    const notTyping = context({ room: { ephemeral: { not_types: ['m.typing'] } } });
    await p.initial(notTyping, 0);
    assert.deepEqual(typingOf(notTyping), {});
    const otherRooms = context({ room: { not_rooms: [JOINED] } });
    await p.incremental(otherRooms, 0, START + 3);
    assert.deepEqual(typingOf(otherRooms), { [OTHER]: [{ type: 'm.typing', content: { user_ids: [] } }] });
  });
});
