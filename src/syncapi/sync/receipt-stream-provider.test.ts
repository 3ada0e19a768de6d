import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncReceipt } from '../storage/index.js';
import { receiptContents } from './receipt-stream-provider.js';

const R1 = '!one:hs';
const R2 = '!two:hs';
const A = '@a:hs';
const B = '@b:hs';

let position = 0;
const receipt = (roomId: string, userId: string, receiptType: string, eventId: string, threadId: string | null = null): SyncReceipt => ({
  position: ++position,
  roomId,
  userId,
  receiptType,
  eventId,
  threadId,
  ts: 1000 + position,
});

describe('receiptContents', () => {
  it("groups by room, event, type and user, with thread_id only when threaded, hiding others' private receipts", () => {
    const contents = receiptContents(
      [
        receipt(R1, A, 'm.read', '$e1'),
        receipt(R1, B, 'm.read', '$e1', 'main'),
        receipt(R1, A, 'm.read', '$e2', '$root'),
        receipt(R1, B, 'm.read.private', '$e2'),
        receipt(R1, A, 'm.read.private', '$e3'),
        receipt(R2, B, 'm.read.private', '$e9'),
      ],
      A,
    );
    assert.deepEqual(Object.fromEntries(contents), {
      [R1]: {
        $e1: { 'm.read': { [A]: { ts: 1001 }, [B]: { ts: 1002, thread_id: 'main' } } },
        $e2: { 'm.read': { [A]: { ts: 1003, thread_id: '$root' } } },
        $e3: { 'm.read.private': { [A]: { ts: 1005 } } },
      },
    });
  });

  it('a room with only private receipts of the viewer is there for the viewer alone', () => {
    position = 0;
    const receipts = [receipt(R2, B, 'm.read.private', '$e9')];
    assert.deepEqual(Object.fromEntries(receiptContents(receipts, B)), { [R2]: { $e9: { 'm.read.private': { [B]: { ts: 1001 } } } } });
    assert.equal(receiptContents(receipts, A).size, 0);
  });
});
