/**
 * The part of a state the auth rules read for one event: the entries of the spec's auth events
 * selection plus the create event (v12 leaves it out of `auth_events`, but the rules still need
 * it), turned into an {@link AuthStateLookup} over parsed events.
 */
import { authStateKeys } from '../../matrix/auth/auth-state-keys.js';
import { lookupFromEvents, type AuthStateLookup } from '../../matrix/auth/auth-state-lookup.js';
import type { JsonObject } from '../../matrix/json.js';
import { stateMapKey, type StateKeyTuple, type StateMap } from '../../matrix/room-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import type { StatePoint } from '../storage/index.js';
import { loadEvents } from './load-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** The fields of an event that decide which state it is checked against. */
export interface AuthSubject {
  readonly type: string;
  readonly stateKey?: string | undefined;
  readonly sender: string;
  readonly content: JsonObject;
}

/** The auth state of one event: the lookup for the rules, and the entries found (key → event ID). */
export interface AuthState {
  readonly lookup: AuthStateLookup;
  readonly entries: StateMap;
}

/** The keys to read: the auth events selection, and the create event. */
export function authTuples(subject: AuthSubject, rv: RoomVersion): StateKeyTuple[] {
  const keys = authStateKeys({ ...subject, stateKey: subject.stateKey }, rv);
  if (!keys.some(([t, k]) => t === 'm.room.create' && k === '')) keys.push(['m.room.create', '']);
  return keys;
}

/** The auth state of `subject` at a stored point (undefined when the point has no state). */
export async function authStateAt(
  ctx: RoomserverInternalContext,
  point: StatePoint,
  subject: AuthSubject,
  rv: RoomVersion,
): Promise<AuthState | undefined> {
  const entries = await ctx.storage.getState(point, { tuples: authTuples(subject, rv) });
  return entries && authStateFrom(ctx, entries);
}

/** The auth state of `subject` within a full state map held in memory. */
export async function authStateIn(ctx: RoomserverInternalContext, state: StateMap, subject: AuthSubject, rv: RoomVersion): Promise<AuthState> {
  const entries = new Map<string, string>();
  for (const [t, k] of authTuples(subject, rv)) {
    const id = state.get(stateMapKey(t, k));
    if (id !== undefined) entries.set(stateMapKey(t, k), id);
  }
  return authStateFrom(ctx, entries);
}

async function authStateFrom(ctx: RoomserverInternalContext, entries: StateMap): Promise<AuthState> {
  const loaded = await loadEvents(ctx, entries.values());
  const events = [...entries.values()].flatMap((id) => loaded.get(id)?.event ?? []);
  return { lookup: lookupFromEvents(events), entries };
}
