/**
 * The body of `POST /publicRooms`, which the client API and the federation API share word for
 * word, and the {@link PublicRoomsQuery} it asks of the directory.
 */
import Type, { type Static } from 'typebox';
import type { PublicRoomsQuery } from './public-rooms-page.js';

/** The request body's schema (`limit`, `since`, `filter`, and which network's directory). */
export const PublicRoomsBody = Type.Object({
  limit: Type.Optional(Type.Integer()),
  since: Type.Optional(Type.String()),
  filter: Type.Optional(
    Type.Object({
      generic_search_term: Type.Optional(Type.String()),
      room_types: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Null()]))),
    }),
  ),
  include_all_networks: Type.Optional(Type.Boolean()),
  third_party_instance_id: Type.Optional(Type.String()),
});

/** What the body asks of the directory; the network fields are each route's business. */
export function publicRoomsQueryOfBody(body: Static<typeof PublicRoomsBody>): PublicRoomsQuery {
  return {
    limit: body.limit,
    since: body.since,
    genericSearchTerm: body.filter?.generic_search_term,
    roomTypes: body.filter?.room_types,
  };
}
