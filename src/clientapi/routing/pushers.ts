/**
 * `GET /pushers` and `POST /pushers/set` over the userapi's `queryPushers` / `performPusherSet`.
 * Every check of a pusher happens here, before anything is stored, so a pusher that could never
 * deliver (no URL, a URL that is not a push gateway's, a kind this server cannot send) is refused
 * with the parameter named instead of failing silently at the first notification.
 */
import Type, { type Static } from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { PerformPusherSetRequest, Pusher } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The only path a push gateway serves notifications at (spec: Push Gateway API). */
export const PUSH_GATEWAY_PATH = '/_matrix/push/v1/notify';
/** Spec: "Max length, 512 bytes". */
const MAX_PUSHKEY_BYTES = 512;
/** Spec: "Max length, 64 chars". */
const MAX_APP_ID_CHARS = 64;

const SetPusherBody = Type.Object({
  kind: Type.Union([Type.String(), Type.Null()]),
  app_id: Type.String(),
  pushkey: Type.String(),
  app_display_name: Type.Optional(Type.String()),
  device_display_name: Type.Optional(Type.String()),
  profile_tag: Type.Optional(Type.String()),
  lang: Type.Optional(Type.String()),
  data: Type.Optional(Type.Object({})),
  append: Type.Optional(Type.Boolean()),
});

/** The pusher as `GET /pushers` lists it (`profile_tag` only when set). */
function pusherJson(p: Pusher): JsonObject {
  return {
    pushkey: p.pushkey,
    kind: p.kind,
    app_id: p.appId,
    app_display_name: p.appDisplayName,
    device_display_name: p.deviceDisplayName,
    ...(p.profileTag !== null ? { profile_tag: p.profileTag } : {}),
    lang: p.lang,
    data: p.data,
  };
}

/**
 * Checks `data.url` of an http pusher: an absolute http(s) URL without credentials whose path is
 * the push gateway's. The spec says HTTPS; plain http is accepted too (as Synapse does) for
 * gateways on a private network, which the outbound network policy still has to allow.
 * @throws MatrixError `M_MISSING_PARAM` / `M_INVALID_PARAM`
 */
export function checkGatewayUrl(url: unknown): void {
  if (url === undefined) throw MatrixError.missingParam("'data.url' is required for http pushers");
  if (typeof url !== 'string') throw MatrixError.invalidParam("'data.url' must be a string");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw MatrixError.invalidParam("'data.url' must be an absolute URL");
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw MatrixError.invalidParam("'data.url' must be an https (or http) URL");
  if (parsed.username !== '' || parsed.password !== '') throw MatrixError.invalidParam("'data.url' must not contain credentials");
  if (parsed.pathname !== PUSH_GATEWAY_PATH) throw MatrixError.invalidParam(`'data.url' must have the path ${PUSH_GATEWAY_PATH}`);
}

type SetBody = Static<typeof SetPusherBody>;

/**
 * The pusher to store for a `kind` that is not null.
 * @throws MatrixError `M_MISSING_PARAM` naming every missing field, `M_INVALID_PARAM` otherwise.
 */
function pusherToStore(body: SetBody): NonNullable<PerformPusherSetRequest['pusher']> {
  const missing = (['app_display_name', 'device_display_name', 'lang', 'data'] as const).filter((k) => body[k] === undefined);
  if (missing.length > 0) throw MatrixError.missingParam(`Missing parameters: ${missing.join(', ')}`);
  const { kind, data } = body;
  // Axon sends no email, so an email pusher would never notify anyone: refuse it openly.
  if (kind === 'email') throw MatrixError.invalidParam("Pushers of kind 'email' are not supported: this server does not send email");
  if (kind !== 'http') throw MatrixError.invalidParam(`Unknown pusher kind '${kind ?? ''}': only 'http' is supported`);
  const json = data as JsonObject;
  checkGatewayUrl(json.url);
  if (json.format !== undefined && json.format !== 'event_id_only') throw MatrixError.invalidParam("'data.format' must be 'event_id_only' when present");
  return {
    kind,
    appDisplayName: body.app_display_name!,
    deviceDisplayName: body.device_display_name!,
    profileTag: body.profile_tag ?? null,
    lang: body.lang!,
    data: json,
  };
}

/** @throws MatrixError `M_INVALID_PARAM` for an empty or over-long `app_id` or `pushkey`. */
function checkIdentity(appId: string, pushkey: string): void {
  if (appId === '') throw MatrixError.invalidParam("'app_id' must not be empty");
  if ([...appId].length > MAX_APP_ID_CHARS) throw MatrixError.invalidParam(`'app_id' must be at most ${MAX_APP_ID_CHARS} characters`);
  if (pushkey === '') throw MatrixError.invalidParam("'pushkey' must not be empty");
  if (Buffer.byteLength(pushkey, 'utf8') > MAX_PUSHKEY_BYTES) throw MatrixError.invalidParam(`'pushkey' must be at most ${MAX_PUSHKEY_BYTES} bytes`);
}

/** The pusher routes. Guests have no pushers (the spec's guest endpoints do not include them). */
export function pusherRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const api = deps.userApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/pushers',
      auth: 'user',
      rateLimit: 'default',
      schema: {},
      handler: async ({ requester }) => {
        const { pushers } = await api.queryPushers({ userId: requester!.userId });
        return { pushers: pushers.map(pusherJson) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/pushers/set',
      auth: 'user',
      rateLimit: 'default',
      schema: { body: SetPusherBody },
      handler: async ({ requester, body }) => {
        checkIdentity(body.app_id, body.pushkey);
        const pusher = body.kind === null ? null : pusherToStore(body);
        await api.performPusherSet({
          userId: requester!.userId,
          deviceId: requester!.deviceId ?? null,
          appId: body.app_id,
          pushkey: body.pushkey,
          pusher,
          append: body.append ?? false,
        });
        return {};
      },
    }),
  ];
}
