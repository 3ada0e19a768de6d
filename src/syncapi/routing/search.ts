/**
 * `POST /_matrix/client/v3/search`: the route descriptor (the work is in `search/perform-search.ts`).
 * Guests may not search (the spec's guest list leaves it out). The schema checks the JSON types
 * and enums, so a missing `search_term` is 400 `M_MISSING_PARAM` and a wrong type or an unknown
 * `keys` / `order_by` / group key 400 `M_BAD_JSON`; unknown categories and fields are ignored.
 * The filter is left to `parseRoomEventFilter`, which names its own bad fields. Stored events are
 * written unparsed (`raw-json-reply.ts`).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { HistoryDeps } from '../history/history-access.js';
import { performSearch } from '../search/perform-search.js';
import { parseRoomEventsCriteria } from '../search/search-request.js';
import { replyWithRawJson } from './raw-json-reply.js';

const SearchKey = Type.Union([Type.Literal('content.body'), Type.Literal('content.name'), Type.Literal('content.topic')]);
const RoomEventsBody = Type.Object({
  search_term: Type.String(),
  keys: Type.Optional(Type.Array(SearchKey)),
  filter: Type.Optional(Type.Unknown()),
  order_by: Type.Optional(Type.Union([Type.Literal('recent'), Type.Literal('rank')])),
  event_context: Type.Optional(
    Type.Object({
      before_limit: Type.Optional(Type.Integer()),
      after_limit: Type.Optional(Type.Integer()),
      include_profile: Type.Optional(Type.Boolean()),
    }),
  ),
  include_state: Type.Optional(Type.Boolean()),
  groupings: Type.Optional(
    Type.Object({
      group_by: Type.Optional(Type.Array(Type.Object({ key: Type.Optional(Type.Union([Type.Literal('room_id'), Type.Literal('sender')])) }))),
    }),
  ),
});
const SearchBody = Type.Object({ search_categories: Type.Object({ room_events: Type.Optional(RoomEventsBody) }) });
const SearchQuery = Type.Object({ next_batch: Type.Optional(Type.String()) });

/** The `/search` route. */
export function searchRoutes(deps: HistoryDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/search',
      auth: 'user',
      rateLimit: 'default',
      schema: { body: SearchBody, query: SearchQuery },
      handler: async ({ body, query, requester, reply }) => {
        const res = await performSearch(deps, {
          requester: { userId: requester!.userId, deviceId: requester!.deviceId },
          roomEvents: body.search_categories.room_events === undefined ? undefined : parseRoomEventsCriteria(body.search_categories.room_events),
          nextBatch: query.next_batch,
        });
        return replyWithRawJson(reply, res);
      },
    }),
  ];
}
