/**
 * A route is declared once as a typed descriptor: method, path, auth kind, rate-limit class,
 * TypeBox schemas and a handler whose argument types flow from those schemas.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call the route:
 * - `none`: anyone;
 * - `user`: a valid access token of a non-guest user (or an appservice masquerading);
 * - `user-or-guest`: as `user`, guests allowed;
 * - `optional`: a token is checked if present;
 * - `admin`: a valid token of a server admin;
 * - `federation`: an X-Matrix signed request from another server.
 */
export type AuthKind = 'none' | 'user' | 'user-or-guest' | 'optional' | 'admin' | 'federation';

/** Rate-limit buckets; each has its own budget per requester. */
export type RateLimitClass = 'default' | 'login' | 'register' | 'message' | 'media' | 'none';

/** The authenticated caller of a client route. */
export interface Requester {
  readonly userId: string;
  readonly deviceId: string | undefined;
  readonly isGuest: boolean;
  readonly isAdmin: boolean;
  /** Set when an application service made the request (possibly masquerading as `userId`). */
  readonly appserviceId: string | undefined;
  /**
   * The account is suspended (spec "Account suspension"): routes that act refuse with
   * M_USER_SUSPENDED. Absent means not suspended (requesters built outside the user authenticator).
   */
  readonly suspended?: boolean;
}

/** The authenticated origin of a federation request. */
export interface FederationOrigin {
  readonly serverName: string;
}

export interface RouteSchemas {
  readonly body?: TSchema;
  readonly query?: TSchema;
  readonly params?: TSchema;
}

type StaticOr<S, D> = S extends TSchema ? Static<S> : D;

export interface RouteContext<S extends RouteSchemas> {
  readonly body: StaticOr<S['body'], unknown>;
  readonly query: StaticOr<S['query'], Record<string, string>>;
  readonly params: StaticOr<S['params'], Record<string, string>>;
  /** Present for `user`, `user-or-guest`, `admin`; maybe for `optional`. */
  readonly requester: Requester | undefined;
  /** Present for `federation` routes. */
  readonly origin: FederationOrigin | undefined;
  /** The client's address (X-Forwarded-For when trusted). */
  readonly ip: string;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** What a handler returns: a JSON body with status 200, or an explicit response. */
export type RouteResult = JsonResponse | RawReplySent | object;

export interface JsonResponse {
  readonly kind: 'json-response';
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Returned by handlers that wrote the reply themselves (streams, redirects). */
export interface RawReplySent {
  readonly kind: 'raw-reply-sent';
}

export const RAW_REPLY_SENT: RawReplySent = { kind: 'raw-reply-sent' };

/** A JSON response with a status other than 200, or with headers. */
export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): JsonResponse {
  return { kind: 'json-response', status, body, headers };
}

export interface RouteDescriptor<S extends RouteSchemas = RouteSchemas> {
  readonly method: HttpMethod;
  /**
   * Full path with `:param` segments, e.g. `/_matrix/client/v3/rooms/:roomId/state/:eventType/:stateKey`.
   * Client `v3` paths are also served under `r0`; media `v3` paths under `r0`.
   */
  readonly path: string;
  readonly auth: AuthKind;
  readonly rateLimit: RateLimitClass;
  readonly schema: S;
  /** Largest body accepted, when it differs from `http.max_body_bytes`. */
  readonly bodyLimit?: number;
  /**
   * The body is not parsed: `ctx.body` is the request's byte stream (a `Readable`), or `{}` when
   * the request had none, and `bodyLimit` does not apply — the handler streams it and enforces
   * its own limit (media uploads, which may be far larger than any JSON body).
   */
  readonly rawBody?: boolean;
  handler(ctx: RouteContext<S>): Promise<RouteResult>;
}

/** Declares a route; the identity function exists so TypeScript infers the schema types. */
export function defineRoute<S extends RouteSchemas>(d: RouteDescriptor<S>): RouteDescriptor<S> {
  return d;
}

/** A heterogeneous list of routes, as components export them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDescriptor<any>;
