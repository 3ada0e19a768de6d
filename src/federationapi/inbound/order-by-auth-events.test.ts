import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomEvent } from '../../matrix/room-event.js';
import { orderByAuthEvents } from './order-by-auth-events.js';

/** Just the fields the ordering reads. */
const ev = (eventId: string, depth: number, authEvents: string[] = []): RoomEvent => ({ eventId, depth, authEvents }) as unknown as RoomEvent;
const ids = (events: RoomEvent[]) => events.map((e) => e.eventId);

describe('orderByAuthEvents', () => {
  it('puts auth events before the events citing them, whatever the depths say', () => {
    // $member cites $pl although a server claimed a lower depth for it.
    const create = ev('$create', 1);
    const pl = ev('$pl', 9, ['$create']);
    const member = ev('$member', 2, ['$create', '$pl']);
    const topic = ev('$topic', 3, ['$pl', '$member']);
    assert.deepEqual(ids(orderByAuthEvents([topic, member, pl, create])), ['$create', '$pl', '$member', '$topic']);
  });

  it('orders unrelated events by depth then ID, ignores auth events outside the batch, drops duplicates', () => {
    const a = ev('$b', 5, ['$stored']);
    const b = ev('$a', 5);
    const c = ev('$c', 1);
    assert.deepEqual(ids(orderByAuthEvents([a, b, c, a])), ['$c', '$a', '$b']);
  });

  it('terminates on a cycle and keeps every event once', () => {
    const x = ev('$x', 1, ['$y']);
    const y = ev('$y', 2, ['$x']);
    assert.deepEqual(ids(orderByAuthEvents([y, x])), ['$y', '$x']);
  });

  it('handles a chain deeper than the call stack would allow recursively', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => ev(`$e${i}`, 20_000 - i, i === 0 ? [] : [`$e${i - 1}`]));
    const ordered = orderByAuthEvents([...chain].reverse());
    assert.deepEqual(ids(ordered), ids(chain));
  });
});
