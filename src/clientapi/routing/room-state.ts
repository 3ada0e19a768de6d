/**
 * Room state for clients: `PUT` and `GET /rooms/{roomId}/state/{eventType}/{stateKey}` — the
 * empty state key written as `…/{eventType}`, `…/{eventType}/` or an empty segment, so three
 * paths per method — and `GET /rooms/{roomId}/state`. Reads see the current state while joined
 * (or in a world-readable room) and the state at the leave after leaving (`room-access.ts`);
 * guests may read (spec, guest access).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type RouteContext } from '../../internal/httputil/route.js';
import { toClientEvent } from '../../matrix/client-event.js';
import { parseRoomAlias } from '../../matrix/ids/room-alias.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import { forbidIfSuspended } from '../auth/forbid-if-suspended.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { roomReadAccess, stateAt } from './room-access.js';

const Content = Type.Record(Type.String(), Type.Unknown());
const WithKey = Type.Object({ roomId: Type.String(), eventType: Type.String(), stateKey: Type.String() });
const WithoutKey = Type.Object({ roomId: Type.String(), eventType: Type.String() });
const Format = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('content'), Type.Literal('event')])) });

const BASE = '/_matrix/client/v3/rooms/:roomId/state/:eventType';
/** The paths of one state entry: with a key, and the two spellings of the empty key. */
const PATHS = [`${BASE}/:stateKey`, BASE, `${BASE}/`] as const;

interface StateParams {
  readonly roomId: string;
  readonly eventType: string;
  readonly stateKey?: string;
}

export function roomStateRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  const put = async ({ params, body, requester }: RouteContext<{ params: typeof WithoutKey; body: typeof Content }>): Promise<object> => {
    const p = params as StateParams;
    checkRoomIdParam(p.roomId);
    forbidIfSuspended(requester);
    const content = body as JsonObject;
    if (p.eventType === 'm.room.canonical_alias') await checkCanonicalAlias(rs, deps.config.server_name, p.roomId, content);
    const { eventIds } = await rs.performSendEvents({
      events: [{ roomId: p.roomId, type: p.eventType, stateKey: p.stateKey ?? '', sender: requester!.userId, content }],
    });
    return { event_id: eventIds[0] };
  };
  const get = async ({ params, query, requester }: RouteContext<{ params: typeof WithoutKey; query: typeof Format }>): Promise<object> => {
    const p = params as StateParams;
    const access = await roomReadAccess(rs, p.roomId, requester!);
    const { events } = await rs.queryState({ roomId: p.roomId, ...stateAt(access), stateTuples: [[p.eventType, p.stateKey ?? '']] });
    const [found] = events;
    if (!found) throw MatrixError.notFound(`No ${p.eventType} state with key "${p.stateKey ?? ''}" in ${p.roomId}`);
    return query.format === 'event' ? toClientEvent(found.eventId, found.roomId, found.event) : (found.event.content as JsonObject);
  };
  return [
    ...PATHS.map((path) =>
      defineRoute({ method: 'PUT', path, auth: 'user', rateLimit: 'message', schema: { params: path === PATHS[0] ? WithKey : WithoutKey, body: Content }, handler: put }),
    ),
    ...PATHS.map((path) =>
      defineRoute({ method: 'GET', path, auth: 'user-or-guest', rateLimit: 'default', schema: { params: path === PATHS[0] ? WithKey : WithoutKey, query: Format }, handler: get }),
    ),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/state',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }) },
      handler: async ({ params, requester }) => {
        const access = await roomReadAccess(rs, params.roomId, requester!);
        const { events } = await rs.queryState({ roomId: params.roomId, ...stateAt(access) });
        return jsonArray(events.map((e) => toClientEvent(e.eventId, e.roomId, e.event)));
      },
    }),
  ];
}

/** A top-level JSON array (the route layer takes any object as the body). */
function jsonArray(items: readonly object[]): object {
  return items;
}

/**
 * The spec's check on `m.room.canonical_alias`: every alias the event adds must be valid and
 * point at this room (`M_BAD_ALIAS`). Aliases already in the state are not re-checked. Aliases
 * of other servers can only be verified over federation, which does not exist yet: accepted.
 */
async function checkCanonicalAlias(rs: ClientRoomserverAPI, serverName: string, roomId: string, content: JsonObject): Promise<void> {
  const { events } = await rs.queryState({ roomId, stateTuples: [['m.room.canonical_alias', '']] });
  const before = events[0]?.event.content as JsonObject | undefined;
  const listed = (c: JsonObject | undefined): string[] => {
    if (!c) return [];
    const alt = Array.isArray(c.alt_aliases) ? c.alt_aliases : [];
    return [c.alias, ...alt].filter((a): a is string => typeof a === 'string');
  };
  if (content.alias !== undefined && typeof content.alias !== 'string') throw MatrixError.invalidParam('alias must be a string');
  if (content.alt_aliases !== undefined && !Array.isArray(content.alt_aliases)) throw MatrixError.invalidParam('alt_aliases must be a list');
  const old = new Set(listed(before));
  for (const alias of listed(content).filter((a) => !old.has(a))) {
    const parsed = parseRoomAlias(alias);
    if (!parsed.ok) throw MatrixError.invalidParam(`${alias} is not a valid room alias`);
    if (parsed.value.serverName !== serverName) continue;
    const { roomId: target } = await rs.queryRoomAlias({ alias });
    if (target !== roomId) throw MatrixError.badAlias(`${alias} does not point to ${roomId}`);
  }
}
