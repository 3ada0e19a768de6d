import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LOG_START } from './consumer-store.js';
import { createMemoryTopic } from './memory-topic.js';

it('reads after a position and keeps a consumer’s state for the process', async () => {
  const topic = createMemoryTopic(60_000);
  topic.append([1, 2, 3, 4].map((n) => ({ key: `k${n % 2}`, payload: n })));
  const store = topic.consumerStore('c');
  assert.deepEqual(await store.open(), { position: LOG_START, pending: [] });
  const { messages } = await store.fetch(LOG_START, 3);
  assert.deepEqual(
    messages.map((m) => [m.key, m.payload]),
    [
      ['k1', 1],
      ['k0', 2],
      ['k1', 3],
    ],
  );
  await store.save({ xid: 0, seq: messages[2]!.seq }, [messages[0]!.seq], []);
  const again = await topic.consumerStore('c').open();
  assert.equal(again.position.seq, messages[2]!.seq);
  assert.deepEqual(
    again.pending.map((m) => m.payload),
    [1],
  );
  assert.deepEqual(
    (await store.fetch(again.position, 10)).messages.map((m) => m.payload),
    [4],
  );
});

it('drops messages older than maxAgeMs and beyond maxMessages', async () => {
  const aged = createMemoryTopic(20);
  aged.append([{ key: 'k', payload: 'old' }]);
  await new Promise((r) => setTimeout(r, 40));
  aged.append([{ key: 'k', payload: 'new' }]);
  assert.deepEqual(
    (await aged.consumerStore('c').fetch(LOG_START, 10)).messages.map((m) => m.payload),
    ['new'],
  );
  const capped = createMemoryTopic(60_000, 3);
  capped.append([1, 2, 3, 4, 5].map((n) => ({ key: 'k', payload: n })));
  assert.deepEqual(
    (await capped.consumerStore('c').fetch(LOG_START, 10)).messages.map((m) => m.payload),
    [3, 4, 5],
  );
});
