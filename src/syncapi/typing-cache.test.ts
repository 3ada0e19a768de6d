import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createTypingCache, type TypingCache } from './typing-cache.js';

const R1 = '!one:hs';
const R2 = '!two:hs';
const A = '@a:hs';
const B = '@b:hs';
const START = 1_700_000_000_000;

describe('typing cache', () => {
  let cache: TypingCache | undefined;
  afterEach(() => cache?.close());

  /** A cache on a clock the test moves; expiry timers are not involved (far expiries). */
  const onClock = (expired: string[] = []) => {
    const clock = { now: START };
    cache = createTypingCache({ now: () => clock.now, onExpire: (r) => expired.push(r) });
    return { cache, clock };
  };

  it('positions: 0 until the first change, which jumps to the start time, then one per change of a set', () => {
    const { cache } = onClock();
    assert.equal(cache.latest(), 0);
    assert.equal(cache.update({ roomId: R1, userId: A, typing: true, expiresAt: START + 60_000 }), true);
    assert.equal(cache.latest(), START);
    // Renewing a typing user changes no set: no new position.
    assert.equal(cache.update({ roomId: R1, userId: A, typing: true, expiresAt: START + 90_000 }), false);
    assert.equal(cache.latest(), START);
    assert.equal(cache.update({ roomId: R2, userId: B, typing: true, expiresAt: START + 60_000 }), true);
    assert.equal(cache.update({ roomId: R1, userId: B, typing: true, expiresAt: START + 60_000 }), true);
    assert.equal(cache.latest(), START + 2);
    assert.deepEqual(cache.typingIn(R1), [A, B]);
    // A stop of someone not typing changes nothing.
    assert.equal(cache.update({ roomId: R2, userId: A, typing: false, expiresAt: 0 }), false);
    assert.equal(cache.update({ roomId: R1, userId: A, typing: false, expiresAt: 0 }), true);
    assert.equal(cache.latest(), START + 3);
    assert.deepEqual(cache.typingIn(R1), [B]);
  });

  it('changedIn: the rooms changed in the range with who types now, empty lists for stopped typing', () => {
    const { cache } = onClock();
    cache.update({ roomId: R1, userId: A, typing: true, expiresAt: START + 60_000 });
    cache.update({ roomId: R2, userId: B, typing: true, expiresAt: START + 60_000 });
    cache.update({ roomId: R1, userId: A, typing: false, expiresAt: 0 });
    assert.deepEqual([...cache.changedIn([R1, R2], 0, cache.latest())], [
      [R1, []],
      [R2, [B]],
    ]);
    assert.deepEqual([...cache.changedIn([R1, R2], START, START + 1)], [[R2, [B]]]);
    assert.deepEqual([...cache.changedIn([R1, R2], START + 2, START + 2)], []);
    // Only the rooms asked about.
    assert.deepEqual([...cache.changedIn([R2, '!other:hs'], 0, START + 2)], [[R2, [B]]]);
  });

  it('a start that has already expired is a stop; an expired user is not typing even before the timer runs', () => {
    const { cache, clock } = onClock();
    assert.equal(cache.update({ roomId: R1, userId: A, typing: true, expiresAt: START - 1 }), false);
    assert.deepEqual(cache.typingIn(R1), []);
    cache.update({ roomId: R1, userId: A, typing: true, expiresAt: START + 100 });
    clock.now = START + 100;
    assert.deepEqual(cache.typingIn(R1), []);
  });

  it('advanceTo moves the latest position up, never down, and later changes come after it', () => {
    const { cache } = onClock();
    cache.advanceTo(START + 500);
    assert.equal(cache.latest(), START + 500);
    cache.advanceTo(5);
    assert.equal(cache.latest(), START + 500);
    cache.update({ roomId: R1, userId: A, typing: true, expiresAt: START + 60_000 });
    assert.equal(cache.latest(), START + 501);
  });

  it('expiry: a timer per room drops expired users, moves the room and reports it; renewals are honoured', async () => {
    const expired: string[] = [];
    cache = createTypingCache({ onExpire: (r) => expired.push(r) });
    const now = Date.now();
    cache.update({ roomId: R1, userId: A, typing: true, expiresAt: now + 40 });
    cache.update({ roomId: R1, userId: B, typing: true, expiresAt: now + 400 });
    cache.update({ roomId: R2, userId: A, typing: true, expiresAt: now + 40 });
    // Renewed before it expires: B in R2 stays.
    cache.update({ roomId: R2, userId: B, typing: true, expiresAt: now + 30 });
    cache.update({ roomId: R2, userId: B, typing: true, expiresAt: now + 400 });
    const before = cache.latest();
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(expired.sort(), [R1, R2]);
    assert.deepEqual([cache.typingIn(R1), cache.typingIn(R2)], [[B], [B]]);
    assert.equal(cache.latest(), before + 2);
    assert.deepEqual([...cache.changedIn([R1, R2], before, cache.latest())].map(([r]) => r).sort(), [R1, R2]);
  });

  it('expiry of the last typing user empties the set and reports the room once', async () => {
    const expired: string[] = [];
    cache = createTypingCache({ onExpire: (r) => expired.push(r) });
    cache.update({ roomId: R1, userId: A, typing: true, expiresAt: Date.now() + 30 });
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(expired, [R1]);
    assert.deepEqual(cache.typingIn(R1), []);
  });
});
