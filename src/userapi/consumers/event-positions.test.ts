import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { createEventPositions, threadOfNewEvent } from './event-positions.js';

const withRelation = (rel: unknown): JsonObject => ({ type: 'm.room.message', content: { body: 'x', 'm.relates_to': rel as JsonObject } });

describe('event positions and threads', () => {
  it('remembers positions and threads, and forgets the least recently used past its size', () => {
    const p = createEventPositions(2);
    p.remember('$a', 1, '$root');
    p.remember('$b', 2);
    assert.deepEqual([p.get('$a'), p.threadOf('$a'), p.get('$b'), p.threadOf('$b')], [1, '$root', 2, undefined]);
    p.remember('$c', 3, 'main');
    assert.deepEqual([p.get('$a'), p.get('$c'), p.threadOf('$c')], [undefined, 3, 'main']);
  });

  it("resolves a related event's thread from memory first, storage only on a miss, main when neither knows", async () => {
    const p = createEventPositions();
    p.remember('$t1', 5, '$root');
    const asked: string[] = [];
    const stored = async (id: string) => (asked.push(id), id === '$old' ? '$old-root' : undefined);
    assert.equal(await threadOfNewEvent(withRelation({ rel_type: 'm.reference', event_id: '$t1' }), p, stored), '$root');
    assert.equal(await threadOfNewEvent(withRelation({ rel_type: 'm.thread', event_id: '$r' }), p, stored), '$r');
    assert.deepEqual(asked, [], 'no storage read when memory or the event itself answers');
    assert.equal(await threadOfNewEvent(withRelation({ rel_type: 'm.replace', event_id: '$old' }), p, stored), '$old-root');
    assert.equal(await threadOfNewEvent(withRelation({ rel_type: 'm.replace', event_id: '$gone' }), p, stored), 'main');
    assert.deepEqual(asked, ['$old', '$gone']);
  });
});
