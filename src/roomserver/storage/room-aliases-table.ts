/** Room aliases: alias → room ID, with the user who created it (who may delete it). */
import type { StorageContext } from './storage-context.js';

/** Creates the alias; false when it already exists. */
export async function insertAlias(ctx: StorageContext, alias: string, roomId: string, creatorId: string): Promise<boolean> {
  const r = await ctx.db
    .insertInto('roomserver_room_aliases')
    .values({ alias, room_id: roomId, creator_id: creatorId })
    .onConflict((oc) => oc.column('alias').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** The room and creator of an alias. */
export async function selectAlias(ctx: StorageContext, alias: string): Promise<{ roomId: string; creatorId: string } | undefined> {
  const r = await ctx.db.selectFrom('roomserver_room_aliases').select(['room_id', 'creator_id']).where('alias', '=', alias).executeTakeFirst();
  return r && { roomId: r.room_id, creatorId: r.creator_id };
}

/** Every alias of a room, sorted. */
export async function selectAliasesOfRoom(ctx: StorageContext, roomId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('roomserver_room_aliases').select('alias').where('room_id', '=', roomId).orderBy('alias').execute();
  return rows.map((r) => r.alias);
}

/** Deletes the alias; false when it did not exist. */
export async function deleteAlias(ctx: StorageContext, alias: string): Promise<boolean> {
  const r = await ctx.db.deleteFrom('roomserver_room_aliases').where('alias', '=', alias).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
