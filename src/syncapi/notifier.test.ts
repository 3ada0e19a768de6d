import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNotifier } from './notifier.js';

const local = (u: string) => u.endsWith(':hs.test');
const A = '@a:hs.test';
const B = '@b:hs.test';
const C = '@c:hs.test';
const REMOTE = '@r:elsewhere.test';

describe('notifier', () => {
  it('wakes the joined members of the room and the target of a membership change, nobody else', async () => {
    const n = createNotifier(local);
    n.loadJoined([['!r', A], ['!r', REMOTE], ['!other', C]]);
    assert.deepEqual(n.joinedMembers('!r'), [A], 'remote users are not kept');
    const [la, lb, lc] = [n.listen(A), n.listen(B), n.listen(C)];
    n.roomEvent('!r', [{ userId: B, membership: 'invite' }]);
    const soon = Date.now() + 50;
    assert.deepEqual(await Promise.all([la.wait(soon), lb.wait(soon), lc.wait(soon)]), [true, true, false]);
    for (const l of [la, lb, lc]) l.cancel();
    assert.equal(n.listenerCount(), 0);
  });

  it('follows joins and leaves: a joined user is woken by later events, a left one is not', async () => {
    const n = createNotifier(local);
    n.roomEvent('!r', [{ userId: A, membership: 'join' }]);
    n.roomEvent('!r', [{ userId: B, membership: 'join' }]);
    n.roomEvent('!r', [{ userId: B, membership: 'leave' }]);
    assert.deepEqual(n.joinedMembers('!r'), [A]);
    const lb = n.listen(B);
    const la = n.listen(A);
    n.roomEvent('!r', []);
    assert.deepEqual([await la.wait(Date.now() + 50), await lb.wait(Date.now() + 50)], [true, false]);
    n.roomEvent('!r', [{ userId: A, membership: 'leave' }]);
    assert.deepEqual(n.joinedMembers('!r'), []);
  });

  it('wakeRoom wakes the joined members; wakeRoomMates the user and the members of their rooms, following leaves', async () => {
    const n = createNotifier(local);
    n.loadJoined([['!r', A], ['!r', B], ['!s', B], ['!s', C], ['!t', C]]);
    const woken = async (wake: () => void) => {
      const ls = [A, B, C].map((u) => n.listen(u));
      wake();
      const r = await Promise.all(ls.map((l) => l.wait(Date.now() + 30)));
      for (const l of ls) l.cancel();
      return r;
    };
    assert.deepEqual(await woken(() => n.wakeRoom('!r')), [true, true, false]);
    assert.deepEqual(await woken(() => n.wakeRoom('!none')), [false, false, false]);
    assert.deepEqual(await woken(() => n.wakeRoomMates(A)), [true, true, false]);
    assert.deepEqual(await woken(() => n.wakeRoomMates(B)), [true, true, true]);
    n.roomEvent('!s', [{ userId: B, membership: 'leave' }]);
    assert.deepEqual(await woken(() => n.wakeRoomMates(C)), [false, false, true]);
    assert.deepEqual(await woken(() => n.wakeRoomMates('@stranger:hs.test')), [false, false, false]);
  });

  it('resolves a wait at once when woken before it, on wake while waiting, and false on timeout or abort', async () => {
    const n = createNotifier(local);
    const early = n.listen(A);
    n.wakeUsers([A]);
    assert.equal(await early.wait(Date.now() + 5000), true);
    const later = n.listen(A);
    const t0 = Date.now();
    setTimeout(() => n.wakeUsers([A]), 30);
    assert.equal(await later.wait(Date.now() + 5000), true);
    assert.ok(Date.now() - t0 < 1000);
    const timed = n.listen(B);
    assert.equal(await timed.wait(Date.now() + 30), false);
    const aborted = n.listen(B);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    assert.equal(await aborted.wait(Date.now() + 5000, ac.signal), false);
    for (const l of [early, later, timed, aborted]) l.cancel();
    assert.equal(n.listenerCount(), 0);
  });

  it('wakes a listener peeking into a room it is not joined to by that room only', async () => {
    const n = createNotifier(local);
    n.loadJoined([['!r', B], ['!other', C]]);
    const soon = () => Date.now() + 50;
    const other = n.listen(A, ['!r']);
    n.roomEvent('!other', []);
    n.wakeRoom('!other');
    n.wakeRoomMates(C);
    assert.equal(await other.wait(soon()), false, 'nothing in the peeked room');
    other.cancel();
    for (const poke of [() => n.roomEvent('!r', []), () => n.wakeRoom('!r'), () => n.wakeRoomMates(B)]) {
      const l = n.listen(A, ['!r']);
      poke();
      assert.equal(await l.wait(soon()), true);
      l.cancel();
    }
    assert.equal(n.listenerCount(), 0);
  });

  it('ends every wait when closed, and later waits at once', async () => {
    const n = createNotifier(local);
    const held = n.listen(A);
    const t0 = Date.now();
    const result = held.wait(Date.now() + 60_000);
    n.close();
    assert.equal(await result, false);
    assert.equal(await n.listen(B).wait(Date.now() + 60_000), false);
    assert.ok(Date.now() - t0 < 1000, 'closing released the waits at once');
  });
});
