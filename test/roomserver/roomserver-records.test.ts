/** The roomserver's records (forgotten rooms, content reports) on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openRoomserverStorage } from '../../src/roomserver/storage/index.js';
import { createRoomserverRecords, type RoomserverRecords } from '../../src/roomserver/storage/roomserver-records.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

describeEachBackend('roomserver records storage', (ctx) => {
  describe('tables', () => {
    let r: RoomserverRecords;
    before(async () => {
      const database = await ctx.open();
      await openRoomserverStorage(database); // runs the migrations, this one's included
      r = createRoomserverRecords(database);
    });

    it('records forgotten rooms per user, the latest membership event winning', async () => {
      await r.forgetRoom('@bob:a.test', '!r1:a.test', '$leave1', 1000);
      await r.forgetRoom('@bob:a.test', '!r2:a.test', '$ban2', 1001);
      await r.forgetRoom('@bob:a.test', '!r1:a.test', '$leave3', 1002);
      await r.forgetRoom('@carol:a.test', '!r1:a.test', '$leave4', 1003);
      assert.deepEqual([...(await r.getForgotten('@bob:a.test'))].sort(), [['!r1:a.test', '$leave3'], ['!r2:a.test', '$ban2']]);
      assert.deepEqual([...(await r.getForgotten('@dave:a.test'))], []);
    });

    it('appends reports and lists them after an ID, oldest first', async () => {
      const a = await r.addReport({ kind: 'event', reporterId: '@bob:a.test', roomId: '!r:a.test', eventId: '$e', targetUserId: null, reason: 'spam', score: -100, receivedTs: 5 });
      const b = await r.addReport({ kind: 'user', reporterId: '@carol:a.test', roomId: null, eventId: null, targetUserId: '@eve:b.test', reason: '', score: null, receivedTs: 6 });
      assert.equal(b > a, true);
      assert.deepEqual(await r.getReports(0, 10), [
        { reportId: a, kind: 'event', reporterId: '@bob:a.test', roomId: '!r:a.test', eventId: '$e', targetUserId: null, reason: 'spam', score: -100, receivedTs: 5 },
        { reportId: b, kind: 'user', reporterId: '@carol:a.test', roomId: null, eventId: null, targetUserId: '@eve:b.test', reason: '', score: null, receivedTs: 6 },
      ]);
      assert.deepEqual((await r.getReports(a, 10)).map((x) => x.reportId), [b]);
      assert.deepEqual((await r.getReports(0, 1)).map((x) => x.reportId), [a]);
    });
  });
});
