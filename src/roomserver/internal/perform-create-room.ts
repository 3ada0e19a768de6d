/**
 * `performCreateRoom`: a new local room from `POST /createRoom`'s parameters. The events come
 * from {@link planCreateRoom} and go through the ordinary send path (`performSendEvents`), so each
 * one is auth-checked against the state its predecessors built. The send path queues each event
 * in the room's queue itself and that queue is not re-entrant, so the events are sent in one
 * call, one queue turn each, rather than in a single turn; nobody else can know the new room's
 * ID before this returns, so nothing can interleave in practice.
 */
import { randomInt } from 'node:crypto';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomAlias } from '../../matrix/ids/room-alias.js';
import type { JsonObject } from '../../matrix/json.js';
import { roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import type { PerformCreateRoomRequest, PerformCreateRoomResponse } from '../api.js';
import { planCreateRoom } from './create-room-plan.js';
import { performSendEvents } from './perform-send-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

const ROOM_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Creates the room; its ID, and the alias made from `roomAliasName`. */
export async function performCreateRoom(
  ctx: RoomserverInternalContext,
  req: PerformCreateRoomRequest,
  defaultVersion: string,
): Promise<PerformCreateRoomResponse> {
  const rv = roomVersion(req.roomVersion ?? defaultVersion);
  const alias = req.roomAliasName === undefined ? null : aliasOf(ctx.serverName, req.roomAliasName);
  if (alias !== null && (await ctx.storage.getRoomAlias(alias))) throw MatrixError.roomInUse(`Room alias ${alias} is already taken`);
  const plan = planCreateRoom(req, rv, alias);
  const roomId = await sendCreateEvent(ctx, rv, req.userId, plan.createContent);

  if (alias !== null && !(await ctx.storage.setRoomAlias(alias, roomId, req.userId))) {
    throw MatrixError.roomInUse(`Room alias ${alias} is already taken`);
  }
  try {
    await performSendEvents(ctx, { events: plan.events(roomId) });
  } catch (e) {
    // A refusal here means the parameters asked for a state the auth rules do not allow.
    if (e instanceof MatrixError && e.errcode === 'M_FORBIDDEN') throw MatrixError.invalidRoomState(e.message);
    throw e;
  }
  if (req.visibility === 'public') await ctx.storage.setRoomPublished(roomId, true);
  return { roomId, roomAlias: alias };
}

/**
 * Starts a new room of version `rv` with its `m.room.create` event (content as given, already
 * complete); the new room's ID. Room upgrades start their replacement room with it too.
 */
export async function sendCreateEvent(ctx: RoomserverInternalContext, rv: RoomVersion, sender: string, content: JsonObject): Promise<string> {
  const proposedId = rv.roomIdIsCreateHash ? '' : `!${randomLocalpart()}:${ctx.serverName}`;
  const [createId] = (await performSendEvents(ctx, { events: [{ roomId: proposedId, type: 'm.room.create', stateKey: '', sender, content }] })).eventIds;
  // v12: the room ID is the create event's reference hash with `!` for `$`.
  return rv.roomIdIsCreateHash ? `!${createId!.slice(1)}` : proposedId;
}

/** `#name:server` for a `room_alias_name`, or M_INVALID_PARAM. */
function aliasOf(serverName: string, name: string): string {
  const alias = `#${name}:${serverName}`;
  if (name === '' || name.includes(':') || /\s/.test(name) || !parseRoomAlias(alias).ok) {
    throw MatrixError.invalidParam(`"${name}" cannot be the local part of a room alias`);
  }
  return alias;
}

/** 18 random letters: about 100 bits, so IDs never collide in practice. */
function randomLocalpart(): string {
  let s = '';
  for (let i = 0; i < 18; i++) s += ROOM_ID_ALPHABET[randomInt(ROOM_ID_ALPHABET.length)];
  return s;
}
