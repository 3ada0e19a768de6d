/**
 * The concurrency case of issue 6, scaled: 20 senders each sending 100 messages into one room at
 * once. The per-room queue must make every send build on the one before: all 2,000 stored, one
 * forward extremity, and every event's only prev event is the event before it (no fork).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createRoom, describeRoomserverApi, SERVER, uid } from './roomserver-api-kit.js';

const SENDERS = 20;
const PER_SENDER = 100;

describeRoomserverApi(
  'roomserver API: concurrent sends',
  (api) => {
    it(`${SENDERS} concurrent senders x ${PER_SENDER} events stay one linear DAG`, { timeout: 240_000 }, async () => {
      const alice = uid('alice');
      const room = await createRoom(api(), '11', alice, `!busy:${SERVER}`);
      const senders = Array.from({ length: SENDERS }, (_, i) => uid(`user${i}`));
      await api().performSendEvents({ events: senders.map((u) => ({ roomId: room.roomId, type: 'm.room.member', stateKey: u, sender: u, content: { membership: 'join' } })) });
      const sent = await Promise.all(
        senders.map(async (sender) => {
          const ids: string[] = [];
          for (let n = 0; n < PER_SENDER; n++) {
            const { eventIds } = await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.message', sender, content: { body: `${sender} ${n}` } }] });
            ids.push(eventIds[0]!);
          }
          return ids;
        }),
      );
      const ids = sent.flat();
      assert.equal(new Set(ids).size, SENDERS * PER_SENDER);
      const { events } = await api().queryEvents({ eventIds: ids });
      assert.equal(events.length, SENDERS * PER_SENDER);
      const info = await api().queryRoomInfo({ roomId: room.roomId });
      assert.equal(info.latestEventIds.length, 1);
      // Linear: depths are consecutive and each event's single prev is the event one deeper down.
      const byDepth = new Map(events.map((e) => [e.event.depth as number, e]));
      assert.equal(byDepth.size, events.length);
      const firstDepth = 4 + SENDERS + 1;
      for (let d = firstDepth; d < firstDepth + events.length; d++) {
        const e = byDepth.get(d);
        assert.ok(e, `no event at depth ${d}`);
        const prev = d === firstDepth ? undefined : byDepth.get(d - 1)!.eventId;
        if (prev) assert.deepEqual(e.event.prev_events, [prev]);
      }
      assert.equal(byDepth.get(firstDepth + events.length - 1)!.eventId, info.latestEventIds[0]);
      // Each sender's own events kept their order.
      for (const own of sent) {
        const depths = own.map((id) => events.find((e) => e.eventId === id)!.event.depth as number);
        assert.deepEqual(depths, [...depths].sort((a, b) => a - b));
      }
    });
  },

);
