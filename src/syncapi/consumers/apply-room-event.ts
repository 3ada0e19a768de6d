/**
 * Turning `OutputRoomEvent` messages into the syncapi's timeline and current state.
 *
 * A new event is stored with its state delta (`addsStateEventIds`/`removesStateEventIds`) in one
 * transaction; state events the syncapi never saw (state resolution can bring back old ones) are
 * read from the roomserver first. A room first seen after its creation — this component started
 * mid-stream, or its consumer's log was pruned — has no state here for the delta to apply to, so
 * its whole state after the event is read from the roomserver instead. An event already stored
 * (a redelivery) changes nothing. After the commit the notifier wakes whoever cares.
 */
import type { Logger } from 'pino';
import { toClientEvent } from '../../matrix/client-event.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import type { OutputRoomEventMessage } from '../../roomserver/producers/output-room-event.js';
import type { MembershipChange, Notifier } from '../notifier.js';
import { relationOf } from '../relations/relation-of.js';
import { searchIndexText } from '../search/searchable-text.js';
import type { StateEntryWrite, SyncStorage } from '../storage/index.js';

/** What applying messages needs. */
export interface RoomEventDeps {
  readonly storage: SyncStorage;
  readonly roomserver: SyncRoomserverAPI;
  readonly notifier: Notifier;
  readonly logger?: Logger;
}

type NewRoomEvent = Extract<OutputRoomEventMessage, { type: 'new_room_event' }>;
type RedactedEvent = Extract<OutputRoomEventMessage, { type: 'redacted_event' }>;
type BackfilledEvents = Extract<OutputRoomEventMessage, { type: 'backfilled_events' }>;

/** The `unsigned` keys of invites and knocks holding their stripped state. */
const STRIPPED_KEYS = ['invite_room_state', 'knock_room_state'] as const;

/** Stores a new event and applies its state change; wakes its room's members and its target. */
export async function applyNewRoomEvent(deps: RoomEventDeps, msg: NewRoomEvent): Promise<void> {
  // No "already stored?" read first: the insert itself finds a redelivery (its event ID is
  // unique) and then nothing is written; a redelivery only costs the reads below, the common
  // path one query less.
  const { json, stripped } = clientForm(msg.eventId, msg.roomId, msg.event, await replacedState(deps, msg));
  const own = stateEntryOf(msg.eventId, msg.event, json);
  const isCreate = msg.event.type === 'm.room.create' && msg.event.state_key === '';
  const known = isCreate || (await deps.storage.hasRoomState(msg.roomId));
  const replaceState = known ? undefined : await readWholeState(deps, msg);
  const adds = replaceState ? [] : await addedEntries(deps, msg, own);
  // Echoed to the sending device only; the sender is always the transaction's user.
  const txn = msg.transaction !== null && msg.transaction.userId === msg.event.sender ? msg.transaction : null;
  const position = await deps.storage.writeRoomEvent({
    event: {
      roomId: msg.roomId,
      eventId: msg.eventId,
      type: String(msg.event.type),
      sender: String(msg.event.sender),
      stateKey: typeof msg.event.state_key === 'string' ? msg.event.state_key : null,
      membership: own?.membership ?? null,
      depth: typeof msg.event.depth === 'number' ? msg.event.depth : 0,
      originServerTs: typeof msg.event.origin_server_ts === 'number' ? msg.event.origin_server_ts : 0,
      json,
      strippedState: stripped,
      addsState: msg.addsStateEventIds,
      removesState: msg.removesStateEventIds,
      txnDeviceId: txn?.deviceId ?? null,
      txnId: txn?.transactionId ?? null,
    },
    adds,
    removes: msg.removesStateEventIds,
    replaceState,
    relation: relationOf(msg.eventId, msg.event),
    searchText: searchIndexText(msg.event),
  });
  if (position === undefined) return;
  deps.notifier.roomEvent(msg.roomId, await membershipChanges(deps, msg, replaceState ?? adds));
}

/**
 * Stores old events (backfill) as history only: in their topological place for `/messages`,
 * below every sync position, with no current-state change and no wake-up — they are not news.
 * A state event among them carries no `prev_content`: what it replaced is older still.
 */
export async function applyBackfilledEvents(deps: RoomEventDeps, msg: BackfilledEvents): Promise<void> {
  const writes = msg.events.map(({ eventId, event }) => {
    const { json, stripped } = clientForm(eventId, msg.roomId, event);
    const own = stateEntryOf(eventId, event, json);
    return {
      event: {
        roomId: msg.roomId,
        eventId,
        type: String(event.type),
        sender: String(event.sender),
        stateKey: typeof event.state_key === 'string' ? event.state_key : null,
        membership: own?.membership ?? null,
        depth: typeof event.depth === 'number' ? event.depth : 0,
        originServerTs: typeof event.origin_server_ts === 'number' ? event.origin_server_ts : 0,
        json,
        strippedState: stripped,
        addsState: [],
        removesState: [],
        txnDeviceId: null,
        txnId: null,
      },
      relation: relationOf(eventId, event),
      searchText: searchIndexText(event),
    };
  });
  if (writes.length > 0) await deps.storage.writeHistoricalEvents(writes);
}

/**
 * Swaps a stored event for its redacted form, with `unsigned.redacted_because` (the redaction,
 * which arrived before on the same room's ordered stream). Unknown events are ignored.
 */
export async function applyRedaction(deps: RoomEventDeps, msg: RedactedEvent): Promise<void> {
  const [because] = await deps.storage.eventsByIds([msg.redactedBy]);
  const client = toClientEvent(msg.redactedEventId, msg.roomId, msg.redactedEvent) as unknown as JsonObject;
  const unsigned: JsonObject = because ? { redacted_because: JSON.parse(because.json) as JsonObject } : {};
  await deps.storage.redactEvent(msg.redactedEventId, JSON.stringify({ ...client, unsigned }));
}

/** The state entry a state event replaces at its key, as its `unsigned` tells clients. */
export interface ReplacedState {
  readonly eventId: string;
  readonly sender: string;
  readonly content: JsonObject;
}

/**
 * What a state event replaces in the room's current state at its key (spec: `unsigned`
 * `prev_content`, `replaces_state`, `prev_sender`), read before the event is applied; undefined
 * for message events and the first event at a key.
 */
async function replacedState(deps: RoomEventDeps, msg: NewRoomEvent): Promise<ReplacedState | undefined> {
  const { type, state_key: stateKey } = msg.event;
  if (typeof type !== 'string' || typeof stateKey !== 'string') return undefined;
  const entry = await deps.storage.stateEntry(msg.roomId, type, stateKey);
  if (!entry || entry.eventId === msg.eventId) return undefined;
  const prev = JSON.parse(entry.json) as JsonObject;
  return { eventId: entry.eventId, sender: String(prev.sender), content: isJsonObject(prev.content) ? prev.content : {} };
}

/**
 * The client form of an event as JSON text, without the stripped state of an invite or knock
 * (members of the room have no use for it), and that stripped state followed by the event itself
 * stripped, as `invite_state`/`knock_state` show it. A state event replacing another at its key
 * carries `unsigned.prev_content`, `replaces_state` and `prev_sender`.
 */
export function clientForm(eventId: string, roomId: string, pdu: JsonObject, replaced?: ReplacedState): { json: string; stripped: string | null } {
  let client = toClientEvent(eventId, roomId, pdu) as unknown as JsonObject;
  if (replaced) {
    const previous: JsonObject = { replaces_state: replaced.eventId, prev_content: replaced.content, prev_sender: replaced.sender };
    client = { ...client, unsigned: { ...(isJsonObject(client.unsigned) ? client.unsigned : {}), ...previous } };
  }
  if (!isJsonObject(client.unsigned)) return { json: JSON.stringify(client), stripped: null };
  const unsigned: JsonObject = { ...client.unsigned };
  let stripped: JsonObject[] | null = null;
  for (const key of STRIPPED_KEYS) {
    const list = unsigned[key];
    if (list === undefined) continue;
    delete unsigned[key];
    stripped = [...(Array.isArray(list) ? list.filter(isJsonObject) : []), strippedOf(client)];
  }
  const { unsigned: _old, ...rest } = client;
  const out = Object.keys(unsigned).length > 0 ? { ...rest, unsigned } : rest;
  return { json: JSON.stringify(out), stripped: stripped && JSON.stringify(stripped) };
}

function strippedOf(ev: JsonObject): JsonObject {
  return { type: ev.type ?? '', state_key: ev.state_key ?? '', sender: ev.sender ?? '', content: isJsonObject(ev.content) ? ev.content : {} };
}

function stateEntryOf(eventId: string, pdu: JsonObject, json: string): StateEntryWrite | undefined {
  if (typeof pdu.state_key !== 'string' || typeof pdu.type !== 'string') return undefined;
  const membership = pdu.type === 'm.room.member' && isJsonObject(pdu.content) && typeof pdu.content.membership === 'string' ? pdu.content.membership : null;
  return { type: pdu.type, stateKey: pdu.state_key, eventId, json, membership };
}

/**
 * The state entries `msg` adds. Usually just the event itself; anything else was brought back by
 * state resolution and is read from storage, or from the roomserver when never seen here.
 */
async function addedEntries(deps: RoomEventDeps, msg: NewRoomEvent, own: StateEntryWrite | undefined): Promise<StateEntryWrite[]> {
  const others = msg.addsStateEventIds.filter((id) => id !== msg.eventId);
  const out: StateEntryWrite[] = own && msg.addsStateEventIds.includes(msg.eventId) ? [own] : [];
  if (others.length === 0) return out;
  const found = new Map((await deps.storage.eventsByIds(others)).map((e) => [e.eventId, e]));
  const missing = others.filter((id) => !found.has(id));
  const fetched = missing.length > 0 ? (await deps.roomserver.queryEvents({ eventIds: missing })).events : [];
  for (const e of fetched) {
    const entry = stateEntryOf(e.eventId, e.event, clientForm(e.eventId, e.roomId, e.event).json);
    if (entry) out.push(entry);
  }
  for (const id of others) {
    const e = found.get(id);
    if (e?.stateKey != null) out.push({ type: e.type, stateKey: e.stateKey, eventId: e.eventId, json: e.json, membership: e.membership });
  }
  if (fetched.length < missing.length) deps.logger?.warn({ roomId: msg.roomId, missing: missing.length - fetched.length }, 'syncapi: state events unknown to the roomserver left out');
  return out;
}

/** The room's whole state after `msg`'s event (the current state if the roomserver has none at it). */
async function readWholeState(deps: RoomEventDeps, msg: NewRoomEvent): Promise<StateEntryWrite[]> {
  let state = await deps.roomserver.queryState({ roomId: msg.roomId, atEventId: msg.eventId });
  if (!state.found) state = await deps.roomserver.queryState({ roomId: msg.roomId });
  deps.logger?.info({ roomId: msg.roomId, entries: state.events.length }, 'syncapi: read the whole state of a room first seen mid-stream');
  return state.events.flatMap((e) => stateEntryOf(e.eventId, e.event, clientForm(e.eventId, e.roomId, e.event).json) ?? []);
}

/**
 * The membership changes of a stored delta: member entries added, and members removed without a
 * replacement (only state resolution does that; their keys are then looked up).
 */
async function membershipChanges(deps: RoomEventDeps, msg: NewRoomEvent, added: readonly StateEntryWrite[]): Promise<MembershipChange[]> {
  const out: MembershipChange[] = added.filter((a) => a.type === 'm.room.member').map((a) => ({ userId: a.stateKey, membership: a.membership ?? 'leave' }));
  const simple = msg.addsStateEventIds.every((id) => id === msg.eventId) && msg.removesStateEventIds.length <= msg.addsStateEventIds.length;
  if (simple) return out;
  const replaced = new Set(out.map((c) => c.userId));
  for (const e of await deps.storage.eventsByIds(msg.removesStateEventIds)) {
    if (e.type === 'm.room.member' && e.stateKey !== null && !replaced.has(e.stateKey)) out.push({ userId: e.stateKey, membership: 'leave' });
  }
  return out;
}
