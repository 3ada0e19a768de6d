/**
 * `syncapi_send_to_device` on SQLite and PostgreSQL: messages stored per device in arrival order
 * with increasing positions, a repeated message ID stored once per device, ranges and limits,
 * acknowledgement deleting up to a position, deleted devices losing their messages, and
 * positions never reused after deletions. Also the stream provider over real storage: the cap,
 * acknowledgement, and the repeated `since`.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { openSyncStorage, type SyncStorage, type ToDeviceWrite } from '../../src/syncapi/storage/index.js';
import { emptySyncResponse } from '../../src/syncapi/sync/sync-response.js';
import type { SyncRequestContext } from '../../src/syncapi/sync/stream-provider.js';
import { rawText, type RawJson } from '../../src/syncapi/sync/raw-json.js';
import { createToDevicePosition, toDeviceStreamProvider } from '../../src/syncapi/sync/to-device-stream-provider.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const BOB = '@bob:hs.test';
const CAROL = '@carol:hs.test';

const msg = (userId: string, deviceId: string, messageId: string, n: number): ToDeviceWrite => ({
  userId,
  deviceId,
  messageId,
  json: JSON.stringify({ sender: '@alice:hs.test', type: 'm.test', content: { n } }),
});
const ns = (list: readonly { json: string }[]) => list.map((m) => (JSON.parse(m.json) as { content: { n: number } }).content.n);

describeEachBackend('syncapi to-device storage', (ctx) => {
  let storage: SyncStorage;
  before(async () => {
    storage = await openSyncStorage(await ctx.open());
  });

  it('stores per device in order, once per message ID, and reads ranges with a limit', async () => {
    assert.equal(await storage.latestToDevicePosition(), 0);
    const first = await storage.writeToDeviceMessages([msg(BOB, 'D1', 'm1', 1), msg(BOB, 'D2', 'm1', 1)]);
    assert.ok(first !== undefined && first > 0);
    const second = await storage.writeToDeviceMessages([msg(BOB, 'D1', 'm2', 2)]);
    assert.ok(second !== undefined && second > first);
    // The same ID again for D1 is a repeat; for D3 it is new.
    assert.equal(await storage.writeToDeviceMessages([msg(BOB, 'D1', 'm1', 99)]), undefined);
    const third = await storage.writeToDeviceMessages([msg(BOB, 'D1', 'm1', 3), msg(BOB, 'D3', 'm1', 3)]);
    assert.ok(third !== undefined && third > second);
    assert.equal(await storage.latestToDevicePosition(), third);

    assert.deepEqual(ns(await storage.toDeviceMessages(BOB, 'D1', 0, third, 10)), [1, 2]);
    assert.deepEqual(ns(await storage.toDeviceMessages(BOB, 'D1', 0, third, 1)), [1]);
    const d1 = await storage.toDeviceMessages(BOB, 'D1', 0, third, 10);
    assert.deepEqual(ns(await storage.toDeviceMessages(BOB, 'D1', d1[0]!.position, third, 10)), [2]);
    assert.deepEqual(ns(await storage.toDeviceMessages(BOB, 'D1', 0, first, 10)), [1]);
    assert.deepEqual(ns(await storage.toDeviceMessages(BOB, 'D2', 0, third, 10)), [1]);
    assert.deepEqual(ns(await storage.toDeviceMessages(BOB, 'D3', 0, third, 10)), [3]);
    assert.deepEqual(await storage.toDeviceMessages(CAROL, 'D1', 0, third, 10), []);
  });

  it('acknowledges up to a position, deletes whole devices, and never reuses a position', async () => {
    await storage.writeToDeviceMessages([msg(CAROL, 'C1', 'a', 1), msg(CAROL, 'C1', 'b', 2), msg(CAROL, 'C2', 'a', 1)]);
    const pending = await storage.toDeviceMessages(CAROL, 'C1', 0, Number.MAX_SAFE_INTEGER, 10);
    assert.deepEqual(ns(pending), [1, 2]);
    assert.equal(await storage.acknowledgeToDeviceMessages(CAROL, 'C1', pending[0]!.position), 1);
    assert.deepEqual(ns(await storage.toDeviceMessages(CAROL, 'C1', 0, Number.MAX_SAFE_INTEGER, 10)), [2]);
    // Other devices are untouched by C1's acknowledgement.
    assert.deepEqual(ns(await storage.toDeviceMessages(CAROL, 'C2', 0, Number.MAX_SAFE_INTEGER, 10)), [1]);
    // An acknowledged message repeated (same ID) is new again: nothing remembers it.
    const top = await storage.latestToDevicePosition();
    assert.equal(await storage.acknowledgeToDeviceMessages(CAROL, 'C1', top), 1);
    assert.equal(await storage.deleteToDeviceMessagesOfDevices(CAROL, ['C2', 'nope']), 1);
    assert.deepEqual(await storage.toDeviceMessages(CAROL, 'C2', 0, Number.MAX_SAFE_INTEGER, 10), []);
    const again = await storage.writeToDeviceMessages([msg(CAROL, 'C1', 'z', 5)]);
    assert.ok(again !== undefined && again > top, `${again} must be above ${top}`);
  });

  it('provider: caps a response, stops the token at the last served, acknowledges with the next since', async () => {
    const position = createToDevicePosition(await storage.latestToDevicePosition());
    const provider = toDeviceStreamProvider(storage, position, 3);
    const user = '@dave:hs.test';
    for (let i = 1; i <= 5; i++) position.advance((await storage.writeToDeviceMessages([msg(user, 'DV', `p${i}`, i)]))!);
    const context = (): SyncRequestContext => ({
      userId: user,
      deviceId: 'DV',
      filter: undefined as never,
      useStateAfter: false,
      now: 0,
      fullState: false,
      memberships: [],
      response: emptySyncResponse(),
    });
    const served = (c: SyncRequestContext) => c.response.to_device.events.map((e) => (JSON.parse(rawText(e as RawJson)) as { content: { n: number } }).content.n);
    const latest = position.get();

    const c1 = context();
    const stop1 = await provider.initial(c1, latest);
    assert.deepEqual(served(c1), [1, 2, 3]);
    assert.equal(typeof stop1, 'number');
    assert.ok((stop1 as number) < latest);

    // The same since twice (a lost response): the same messages, nothing deleted.
    const c2 = context();
    assert.equal(await provider.incremental(c2, 0, latest), stop1);
    assert.deepEqual(served(c2), [1, 2, 3]);

    const c3 = context();
    assert.equal(await provider.incremental(c3, stop1 as number, latest), undefined);
    assert.deepEqual(served(c3), [4, 5]);
    assert.deepEqual(ns(await storage.toDeviceMessages(user, 'DV', 0, latest, 10)), [4, 5]);

    const c4 = context();
    assert.equal(await provider.incremental(c4, latest, latest), undefined);
    assert.deepEqual(served(c4), []);
    assert.deepEqual(await storage.toDeviceMessages(user, 'DV', 0, latest, 10), []);
  });
});
