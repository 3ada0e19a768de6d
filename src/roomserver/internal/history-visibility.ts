/**
 * The history visibility rules (client-server API, "Room History Visibility", server
 * behaviour), as pure functions over facts read from the state *at* the event (the state before
 * it). For users:
 *
 * 1. `world_readable`: allow.
 * 2. The user's membership was `join`: allow.
 * 3. `shared`, and the user joined the room at any point after the event was sent: allow.
 * 4. The user's membership was `invite` and the setting `invited`: allow.
 * 5. Otherwise deny.
 *
 * An `m.room.history_visibility` event is visible when the setting before *or* after it allows
 * it, and the user's own `m.room.member` event when their membership before *or* after it does.
 * For servers (Synapse's rule, which the spec leaves to implementations): `world_readable` and
 * `shared` events are visible; `invited` ones when any of the server's users was joined or
 * invited at the event; `joined` ones when any was joined.
 */
import type { JsonObject } from '../../matrix/json.js';

/** The four settings of `m.room.history_visibility`. */
export type HistoryVisibility = 'world_readable' | 'shared' | 'invited' | 'joined';

const SETTINGS: ReadonlySet<string> = new Set<HistoryVisibility>(['world_readable', 'shared', 'invited', 'joined']);

/** The setting of an `m.room.history_visibility` content; `shared` when absent or not understood (spec). */
export function historyVisibilityOf(content: JsonObject | undefined): HistoryVisibility {
  const v = content?.history_visibility;
  return typeof v === 'string' && SETTINGS.has(v) ? (v as HistoryVisibility) : 'shared';
}

/** The `membership` of an `m.room.member` content, or null. */
export function membershipOf(content: JsonObject | undefined): string | null {
  const m = content?.membership;
  return typeof m === 'string' ? m : null;
}

/** The fields of an event the special cases look at. */
export interface VisibilitySubject {
  readonly type: string;
  readonly stateKey: string | undefined;
  readonly content: JsonObject;
}

/** The settings to try for `event`: the one before it, plus its own for a history visibility event. */
export function visibilitiesFor(event: VisibilitySubject, before: HistoryVisibility): HistoryVisibility[] {
  return event.type === 'm.room.history_visibility' && event.stateKey === '' ? [before, historyVisibilityOf(event.content)] : [before];
}

/** The memberships of `userId` to try for `event`: the one before it, plus its own for their member event. */
export function membershipsFor(event: VisibilitySubject, userId: string, before: string | null): (string | null)[] {
  return event.type === 'm.room.member' && event.stateKey === userId ? [before, membershipOf(event.content)] : [before];
}

/** What decides whether one event is visible to one user. */
export interface UserVisibilityFacts {
  /** The setting at the event (see {@link visibilitiesFor}). */
  readonly visibilities: readonly HistoryVisibility[];
  /** The user's membership at the event, null for none (see {@link membershipsFor}). */
  readonly memberships: readonly (string | null)[];
  /** Whether the user joined the room at some point after the event was sent (rule 3). */
  readonly joinedAfter: boolean;
}

/**
 * Whether the event is visible to the user. With no user (an anonymous reader) pass
 * `memberships: [null]` and `joinedAfter: false`: only world-readable events pass.
 */
export function isVisibleToUser(f: UserVisibilityFacts): boolean {
  return f.visibilities.some((v) => f.memberships.some((m) => userRuleAllows(v, m, f.joinedAfter)));
}

function userRuleAllows(visibility: HistoryVisibility, membership: string | null, joinedAfter: boolean): boolean {
  if (visibility === 'world_readable') return true;
  if (membership === 'join') return true;
  if (visibility === 'shared' && joinedAfter) return true;
  return visibility === 'invited' && membership === 'invite';
}

/** What decides whether one event is visible to one server. */
export interface ServerVisibilityFacts {
  readonly visibilities: readonly HistoryVisibility[];
  /** The memberships of the server's users at the event (for their own member event, after it too). */
  readonly memberships: readonly string[];
}

/** Whether the event is visible to the server (see the file comment). */
export function isVisibleToServer(f: ServerVisibilityFacts): boolean {
  return f.visibilities.some((v) => {
    if (v === 'world_readable' || v === 'shared') return true;
    if (v === 'invited') return f.memberships.some((m) => m === 'join' || m === 'invite');
    return f.memberships.includes('join');
  });
}
