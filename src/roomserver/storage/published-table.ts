/**
 * The room directory: whether a room is published, in the server's own list or in an
 * appservice's list for one of its third-party networks.
 */
import type { StorageContext } from './storage-context.js';

/** Which directory list: the server's own (both empty) or an appservice network's. */
export interface DirectoryList {
  readonly appserviceId?: string;
  readonly networkId?: string;
}

/** Sets the room's visibility in `list`. */
export async function upsertPublished(ctx: StorageContext, roomId: string, published: boolean, list: DirectoryList = {}): Promise<void> {
  await ctx.db
    .insertInto('roomserver_published')
    .values({ room_id: roomId, appservice_id: list.appserviceId ?? '', network_id: list.networkId ?? '', published: published ? 1 : 0 })
    .onConflict((oc) => oc.columns(['room_id', 'appservice_id', 'network_id']).doUpdateSet({ published: published ? 1 : 0 }))
    .execute();
}

/** Whether the room is published in `list`. */
export async function selectPublished(ctx: StorageContext, roomId: string, list: DirectoryList = {}): Promise<boolean> {
  const r = await ctx.db
    .selectFrom('roomserver_published')
    .select('published')
    .where('room_id', '=', roomId)
    .where('appservice_id', '=', list.appserviceId ?? '')
    .where('network_id', '=', list.networkId ?? '')
    .executeTakeFirst();
  return r?.published === 1;
}

/** The rooms published in `list`, sorted; `list` undefined: in any list. */
export async function selectPublishedRooms(ctx: StorageContext, list?: DirectoryList): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('roomserver_published')
    .select('room_id')
    .distinct()
    .where('published', '=', 1)
    .$if(list !== undefined, (q) => q.where('appservice_id', '=', list?.appserviceId ?? '').where('network_id', '=', list?.networkId ?? ''))
    .orderBy('room_id')
    .execute();
  return rows.map((r) => r.room_id);
}
