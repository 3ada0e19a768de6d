import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from './json.js';
import { threadLinkOf } from './thread-link.js';

const withRelation = (rel: unknown): JsonObject => ({ type: 'm.room.message', content: { body: 'x', 'm.relates_to': rel as JsonObject } });

it("reads the thread link from m.relates_to: m.thread names the root, another relation its parent, none (or a malformed one) is main", () => {
  assert.deepEqual(threadLinkOf(withRelation({ rel_type: 'm.thread', event_id: '$root' })), { threadId: '$root' });
  assert.deepEqual(threadLinkOf(withRelation({ rel_type: 'm.annotation', event_id: '$t1', key: '👍' })), { relatesTo: '$t1' });
  assert.deepEqual(threadLinkOf({ type: 'm.room.message', content: { body: 'x' } }), { threadId: 'main' });
  // A rich reply alone is no relation (no rel_type), and broken relations are ignored.
  assert.deepEqual(threadLinkOf(withRelation({ 'm.in_reply_to': { event_id: '$t1' } })), { threadId: 'main' });
  assert.deepEqual(threadLinkOf(withRelation({ rel_type: 'm.thread', event_id: 7 })), { threadId: 'main' });
  assert.deepEqual(threadLinkOf(withRelation({ rel_type: 'm.thread', event_id: '__proto__' })), { threadId: 'main' });
  assert.deepEqual(threadLinkOf(withRelation('m.thread')), { threadId: 'main' });
  assert.deepEqual(threadLinkOf({ type: 'm.room.message', content: 'nope' }), { threadId: 'main' });
});
