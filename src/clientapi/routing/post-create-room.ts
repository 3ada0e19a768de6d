/**
 * `POST /createRoom`: the body is validated here and handed to the roomserver's
 * `performCreateRoom`, with the creator's profile for their join event.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import { forbidIfSuspended } from '../auth/forbid-if-suspended.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const JsonObj = Type.Record(Type.String(), Type.Unknown());

const Body = Type.Object({
  visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
  room_alias_name: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  topic: Type.Optional(Type.String()),
  invite: Type.Optional(Type.Array(Type.String())),
  room_version: Type.Optional(Type.String()),
  creation_content: Type.Optional(JsonObj),
  initial_state: Type.Optional(Type.Array(Type.Object({ type: Type.String(), state_key: Type.Optional(Type.String()), content: JsonObj }))),
  preset: Type.Optional(Type.Union([Type.Literal('private_chat'), Type.Literal('public_chat'), Type.Literal('trusted_private_chat')])),
  is_direct: Type.Optional(Type.Boolean()),
  power_level_content_override: Type.Optional(JsonObj),
});

export function postCreateRoom(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/createRoom',
    auth: 'user',
    rateLimit: 'default',
    schema: { body: Body },
    handler: async ({ body, requester }) => {
      forbidIfSuspended(requester);
      const userId = requester!.userId;
      const { profile } = await deps.userApi.queryProfile({ userId });
      const res = await deps.roomserverApi.performCreateRoom({
        userId,
        ...(typeof profile.displayname === 'string' ? { displayName: profile.displayname } : {}),
        ...(typeof profile.avatar_url === 'string' ? { avatarUrl: profile.avatar_url } : {}),
        roomVersion: body.room_version ?? deps.config.rooms.default_version,
        creationContent: body.creation_content as JsonObject | undefined,
        preset: body.preset,
        visibility: body.visibility,
        powerLevelContentOverride: body.power_level_content_override as JsonObject | undefined,
        initialState: body.initial_state?.map((e) => ({ type: e.type, stateKey: e.state_key, content: e.content as JsonObject })),
        name: body.name,
        topic: body.topic,
        invite: body.invite,
        isDirect: body.is_direct,
        roomAliasName: body.room_alias_name,
      });
      return { room_id: res.roomId, ...(res.roomAlias !== null ? { room_alias: res.roomAlias } : {}) };
    },
  });
}
