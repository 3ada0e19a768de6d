/**
 * The spec's "auth events selection" (server-server API): which current state events an event
 * must list as its `auth_events`. Used to build events and to check received ones (auth rule 2).
 */
import type { JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import type { RoomVersion } from '../room-version.js';

/**
 * The (type, state_key) pairs whose current state events are the auth events of an event with
 * these fields (spec: "auth events selection"), per room version (v12: no create event).
 * An `m.room.create` event has none. Pairs are unique, in the order the spec lists them.
 */
export function authStateKeys(
  ev: { type: string; stateKey: string | undefined; sender: string; content: JsonObject },
  rv: RoomVersion,
): Array<readonly [string, string]> {
  if (ev.type === 'm.room.create') return [];
  const keys: Array<readonly [string, string]> = [];
  const add = (type: string, stateKey: string): void => {
    if (!keys.some(([t, k]) => t === type && k === stateKey)) keys.push([type, stateKey]);
  };
  if (!rv.createEventNotInAuthEvents) add('m.room.create', '');
  add('m.room.power_levels', '');
  add('m.room.member', ev.sender);
  if (ev.type !== 'm.room.member') return keys;

  const { membership } = ev.content;
  if (ev.stateKey !== undefined) add('m.room.member', ev.stateKey);
  if (membership === 'join' || membership === 'invite' || membership === 'knock') add('m.room.join_rules', '');
  if (membership === 'invite') {
    const tpi = ev.content.third_party_invite;
    const token = isJsonObject(tpi) && isJsonObject(tpi.signed) ? tpi.signed.token : undefined;
    if (typeof token === 'string') add('m.room.third_party_invite', token);
  }
  const via = ev.content.join_authorised_via_users_server;
  if (membership === 'join' && rv.restrictedJoinSupported && typeof via === 'string') add('m.room.member', via);
  return keys;
}
