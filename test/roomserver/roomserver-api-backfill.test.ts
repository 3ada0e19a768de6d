/**
 * `performBackfill` against a stand-in network: a second roomserver (`remote.test`, signing with
 * the key the roomserver under test trusts for it) holds a room's whole history; the roomserver
 * under test holds it only from its latest event (as after a remote join: the state before it
 * as outliers, then the event). Its federation handle is the federationapi's real
 * `performBackfill` over a client whose `/backfill`, `/state_ids` and `/event` answer from the
 * second roomserver's own reads, so the events, hashes and signatures are real.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FederationAPI, RoomserverFederationAPI } from '../../src/federationapi/api.js';
import type { FederationClient, FederationRequest } from '../../src/federationapi/client/federation-client.js';
import type { FederationInternalContext } from '../../src/federationapi/internal/federation-internal-context.js';
import { performBackfill } from '../../src/federationapi/internal/perform-backfill.js';
import type { KeyRing } from '../../src/federationapi/keyring/key-ring.js';
import type { RoomserverAPI, StoredRoomEvent } from '../../src/roomserver/api.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { createRoom, describeRoomserverApi, LOCAL_KEY, REMOTE, SERVER, uid } from './roomserver-api-kit.js';
import { startRemoteRoomserver } from './remote-roomserver.js';

const ALICE = uid('alice', REMOTE);
const MESSAGES = 30;

let federation: RoomserverFederationAPI | undefined;

describeRoomserverApi(
  'roomserver performBackfill',
  (api, env) => {
    it('places the history before the first event it holds, oldest first, without moving the head', async () => {
      const remote = await startRemoteRoomserver(env());
      try {
        const r = remote.api;
        const { roomId, createId } = await createRoom(r, '11', ALICE, `!history:${REMOTE}`);
        const ids = await sendAll(r, roomId);
        const latest = ids.at(-1)!;
        await seedFrom(api(), r, roomId, latest);
        federation = fakeFederation(api(), r);

        const placed: string[] = [];
        for (let round = 0; round < 20; round++) {
          const { eventIds } = await api().performBackfill({ roomId, limit: 10 });
          if (eventIds.length === 0) break;
          // At most what was asked (the event named in `v` counts), oldest first.
          assert.ok(eventIds.length <= 9, `round ${round}: ${eventIds.length} events`);
          const depths = (await api().queryEvents({ eventIds })).events.map((e) => e.event.depth as number);
          assert.deepEqual(depths, [...depths].sort((a, b) => a - b));
          placed.push(...eventIds);
        }
        const before = (await r.queryBackfill({ roomId, eventIds: [latest], limit: 1000 })).events.map((e) => e.eventId).filter((id) => id !== latest);
        assert.equal(new Set(placed).size, placed.length, 'an event was placed twice');
        assert.deepEqual([...placed].sort(), [...before].sort());
        // The room's four first events, two renames, and every message but the one we held.
        assert.equal(placed.length, 4 + 2 + MESSAGES - 1);

        // Published as history, once each, and never as new events.
        await env().waitForPublished((ms) => backfilledIds(ms).length >= placed.length);
        assert.deepEqual(backfilledIds(env().published).sort(), [...placed].sort());
        assert.ok(!env().published.some((m) => m.type === 'new_room_event' && placed.includes(m.eventId)));

        // The head and current state stay where they were; the create event is now in the DAG.
        assert.deepEqual((await api().queryRoomInfo({ roomId })).latestEventIds, [latest]);
        const name = await api().queryState({ roomId, stateTuples: [['m.room.name', '']] });
        assert.equal(name.events[0]?.event.content && (name.events[0].event.content as { name?: string }).name, 'Second');
        const [create] = (await api().queryEvents({ eventIds: [createId] })).events;
        assert.equal(create?.outlier, false);
        assert.deepEqual(await env().storage.getBackwardExtremities(roomId, 5), []);

        // Each old event stands on the state of its own time.
        const early = await api().queryState({ roomId, atEventId: ids[2]!, stateTuples: [['m.room.name', '']] });
        assert.equal(early.found, true);
        assert.equal((early.events[0]?.event.content as { name?: string } | undefined)?.name, 'First');
        // Once complete, there is nothing more to fetch.
        assert.deepEqual((await api().performBackfill({ roomId, limit: 10 })).eventIds, []);
      } finally {
        federation = undefined;
        await remote.stop();
      }
    });

    it('finds nothing to do without a federationapi or in an unknown room', async () => {
      assert.deepEqual((await api().performBackfill({ roomId: `!nowhere:${REMOTE}`, limit: 10 })).eventIds, []);
      const remote = await startRemoteRoomserver(env());
      try {
        const { roomId } = await createRoom(remote.api, '11', ALICE, `!alone:${REMOTE}`);
        const ids = await sendAll(remote.api, roomId);
        await seedFrom(api(), remote.api, roomId, ids.at(-1)!);
        assert.deepEqual(await env().storage.getBackwardExtremities(roomId, 5), [ids.at(-1)!]);
        assert.deepEqual((await api().performBackfill({ roomId, limit: 10 })).eventIds, []);
      } finally {
        await remote.stop();
      }
    });
  },
  { federation: () => federation },
);

function backfilledIds(ms: readonly OutputRoomEventMessage[]): string[] {
  return ms.flatMap((m) => (m.type === 'backfilled_events' ? m.events.map((e) => e.eventId) : []));
}

/** A name, `MESSAGES` messages with a rename in the middle; the messages' IDs. */
async function sendAll(r: RoomserverAPI, roomId: string): Promise<string[]> {
  await r.performSendEvents({ events: [{ roomId, type: 'm.room.name', stateKey: '', sender: ALICE, content: { name: 'First' } }] });
  const ids: string[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    if (i === MESSAGES / 2) await r.performSendEvents({ events: [{ roomId, type: 'm.room.name', stateKey: '', sender: ALICE, content: { name: 'Second' } }] });
    const { eventIds } = await r.performSendEvents({ events: [{ roomId, type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: `m${i}` } }] });
    ids.push(eventIds[0]!);
  }
  return ids;
}

/** Gives the roomserver under test the room from `eventId` on, as a remote join would. */
async function seedFrom(local: RoomserverAPI, r: RoomserverAPI, roomId: string, eventId: string): Promise<void> {
  const state = await r.queryStateBeforeEvent({ roomId, eventId });
  const chain = await r.queryAuthChain({ eventIds: state.eventIds });
  const byId = new Map<string, StoredRoomEvent>([...chain.events, ...state.events].map((e) => [e.eventId, e]));
  const outliers = [...byId.values()].sort((a, b) => (a.event.depth as number) - (b.event.depth as number));
  const { results } = await local.inputRoomEvents({ inputs: outliers.map((e) => ({ kind: 'outlier', event: e.event, roomVersion: e.roomVersion, origin: REMOTE })) });
  assert.ok(results.every((x) => x.accepted));
  const [event] = (await r.queryEvents({ eventIds: [eventId] })).events;
  const input = await local.inputRoomEvents({ inputs: [{ kind: 'new', event: event!.event, roomVersion: event!.roomVersion, origin: REMOTE, stateEventIdsBefore: state.eventIds }] });
  assert.equal(input.results[0]?.accepted, true);
}

/** The federationapi's `performBackfill` over a client answering from `r`. */
function fakeFederation(local: RoomserverAPI, r: RoomserverAPI): RoomserverFederationAPI {
  const client: Pick<FederationClient, 'request'> = {
    request: async <T>(req: FederationRequest): Promise<T> => ((await answer(r, req)) as T),
  };
  const ctx: FederationInternalContext = { serverName: SERVER, signingKey: LOCAL_KEY, keyRing: {} as KeyRing, client, roomserver: local, now: Date.now };
  const unused = async (): Promise<never> => {
    throw new Error('not part of this stand-in');
  };
  const fed: FederationAPI = {
    queryServerKey: unused,
    performJoin: unused,
    performInvite: unused,
    performLeave: unused,
    performKnock: unused,
    queryRemoteAlias: unused,
    performBackfill: (req) => performBackfill(ctx, req),
    queryRemoteKeys: unused,
    claimRemoteKeys: unused,
    performRemoteTimestampToEvent: unused,
  };
  return fed;
}

async function answer(r: RoomserverAPI, req: FederationRequest): Promise<unknown> {
  assert.equal(req.destination, REMOTE);
  const m = /^\/_matrix\/federation\/v1\/(backfill|state_ids|event)\/([^/]+)$/.exec(req.path);
  assert.ok(m, `unexpected request ${req.path}`);
  const arg = decodeURIComponent(m[2]!);
  if (m[1] === 'backfill') {
    const v = req.query?.v as readonly string[];
    const { events } = await r.queryBackfill({ roomId: arg, eventIds: v, limit: Number(req.query?.limit) });
    return { origin: REMOTE, origin_server_ts: Date.now(), pdus: events.map((e) => e.event) };
  }
  if (m[1] === 'state_ids') {
    const state = await r.queryStateBeforeEvent({ roomId: arg, eventId: String(req.query?.event_id), idsOnly: true });
    const chain = await r.queryAuthChain({ eventIds: state.eventIds, idsOnly: true });
    return { pdu_ids: state.eventIds, auth_chain_ids: chain.eventIds };
  }
  const { events } = await r.queryEvents({ eventIds: [arg] });
  return { origin: REMOTE, origin_server_ts: Date.now(), pdus: events.map((e) => e.event) };
}
