/**
 * The servers a client names for joining or knocking on a room this server is not in: `via`
 * (v1.12) and the older `server_name`, each repeatable.
 */
import Type from 'typebox';

/** A repeated query parameter arrives as a list, a single one as a string. */
export const ServerList = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]));

/** The query schema of both parameters. */
export const ServerListQuery = Type.Object({ via: ServerList, server_name: ServerList });

/** The servers named by `via` and `server_name`, in that order, without repeats. */
export function serverNames(query: { via?: string | string[]; server_name?: string | string[] }): string[] {
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return [...new Set([...list(query.via), ...list(query.server_name)])];
}
