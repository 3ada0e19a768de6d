import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAckTracker, type TrackedEntry } from './ack-tracker.js';
import { LOG_START, type ConsumerStore, type Position } from './consumer-store.js';

/** A store that records what is saved (the tracker's only output). */
function recordingStore() {
  const saves: { position: Position; add: number[]; remove: number[] }[] = [];
  const store: ConsumerStore = {
    open: async () => ({ position: LOG_START, pending: [] }),
    fetch: async () => ({ messages: [], limited: false }),
    async save(position, add, remove) {
      saves.push({ position, add: [...add], remove: [...remove] });
    },
  };
  return { store, saves };
}

const entry = (seq: number, key: string): TrackedEntry => ({ msg: { seq, xid: 0, key, id: `m${seq}`, payload: null }, acked: false });

it('moves the position over acknowledged messages only up to the first unacknowledged one', async () => {
  const { store, saves } = recordingStore();
  const t = createAckTracker(store, { position: LOG_START, pending: [] }, { isFailing: () => false, onError: () => undefined });
  const es = [1, 2, 3, 4].map((s) => entry(s, `k${s}`));
  es.forEach((e) => t.read(e));
  t.ack(es[0]!);
  t.ack(es[2]!);
  await t.close();
  assert.deepEqual(saves, [{ position: { xid: 0, seq: 1 }, add: [], remove: [] }]);
});

it('passes over a failing key’s messages as pending, and removes them once acknowledged', async () => {
  const { store, saves } = recordingStore();
  const failing = new Set(['bad']);
  const t = createAckTracker(store, { position: LOG_START, pending: [] }, { isFailing: (k) => failing.has(k), onError: () => undefined });
  const bad = entry(1, 'bad');
  const good = entry(2, 'good');
  t.read(bad);
  t.read(good);
  t.ack(good);
  t.request();
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(saves, [{ position: { xid: 0, seq: 2 }, add: [1], remove: [] }]);
  failing.delete('bad');
  t.ack(bad);
  await t.close();
  assert.deepEqual(saves[1], { position: { xid: 0, seq: 2 }, add: [], remove: [1] });
  assert.equal(saves.length, 2);
});

it('coalesces a burst of acknowledgements into one write', async () => {
  const { store, saves } = recordingStore();
  const t = createAckTracker(store, { position: LOG_START, pending: [] }, { isFailing: () => false, onError: () => undefined });
  const es = Array.from({ length: 100 }, (_, i) => entry(i + 1, `k${i}`));
  for (const e of es) t.read(e);
  for (const e of es) {
    t.ack(e);
    t.request();
  }
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(saves, [{ position: { xid: 0, seq: 100 }, add: [], remove: [] }]);
  await t.close();
  assert.equal(saves.length, 1, 'nothing changed since');
});
