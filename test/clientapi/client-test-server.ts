/**
 * A real Axon monolith for clientapi route tests (`startTestMonolith`) with a registration
 * shared secret, plus small helpers to call the client API and make users.
 */
import assert from 'node:assert/strict';
import { registrationMac } from '../../src/clientapi/auth/shared-secret-mac.js';
import type { Bus } from '../../src/internal/bus/bus.js';
import { startTestMonolith, TEST_SERVER_NAME } from '../harness/start-test-monolith.js';

export const SERVER_NAME = TEST_SERVER_NAME;
export const SHARED_SECRET = 'test-shared-secret-0123456789';

/** A JSON response: status, parsed body, headers. */
export interface Res {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly token?: string;
}

/** A registered user with a logged-in device. */
export interface TestUser {
  readonly userId: string;
  readonly password: string;
  readonly accessToken: string;
  readonly deviceId: string;
}

export interface ClientTestServer {
  readonly url: string;
  /** The server's bus: subscribe to see what the components publish. */
  readonly bus: Bus;
  /** `method path` against the client listener; `path` starts with `/_matrix/…` or `/_synapse/…`. */
  call(method: string, path: string, opts?: CallOptions): Promise<Res>;
  /** Registers a user through shared-secret registration (admin when asked). */
  register(localpart: string, opts?: { password?: string; admin?: boolean }): Promise<TestUser>;
  /** Logs the user in once more, returning a new device. */
  login(localpart: string, password: string): Promise<TestUser>;
  stop(): Promise<void>;
}

/** Starts a server; `overrides` are merged into the config (top-level keys replace). */
export async function startClientTestServer(overrides: Record<string, unknown> = {}): Promise<ClientTestServer> {
  const monolith = await startTestMonolith({ registration: { enabled: true, shared_secret: SHARED_SECRET }, ...overrides });
  const url = monolith.baseUrl;

  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<Res> => {
    const headers: Record<string, string> = {};
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
  };

  const register = async (localpart: string, opts: { password?: string; admin?: boolean } = {}): Promise<TestUser> => {
    const password = opts.password ?? `pw-${localpart}`;
    const admin = opts.admin === true;
    const { body: n } = await call('GET', '/_synapse/admin/v1/register');
    const nonce = String(n.nonce);
    const mac = registrationMac(SHARED_SECRET, { nonce, username: localpart, password, admin });
    const res = await call('POST', '/_synapse/admin/v1/register', { body: { nonce, username: localpart, password, admin, mac } });
    if (res.status !== 200) throw new Error(`registering ${localpart} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { userId: String(res.body.user_id), password, accessToken: String(res.body.access_token), deviceId: String(res.body.device_id) };
  };

  const login = async (localpart: string, password: string): Promise<TestUser> => {
    const res = await call('POST', '/_matrix/client/v3/login', {
      body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: localpart }, password },
    });
    if (res.status !== 200) throw new Error(`login of ${localpart} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { userId: String(res.body.user_id), password, accessToken: String(res.body.access_token), deviceId: String(res.body.device_id) };
  };

  return {
    url,
    bus: monolith.bus,
    call,
    register,
    login,
    stop: monolith.stop,
  };
}

/** The auth dict of an `m.login.password` stage for `user`. */
export function passwordAuth(user: { userId: string; password: string }, session?: string): Record<string, unknown> {
  return { type: 'm.login.password', identifier: { type: 'm.id.user', user: user.userId }, password: user.password, ...(session ? { session } : {}) };
}

/** The body of a 200 answer; any other status fails the test, showing the body. */
export function okBody(res: Res): Record<string, unknown> {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Asserts an error answer: its status and errcode (`what` names the call in the failure). */
export function assertError(res: Res, status: number, errcode: string, what: string): void {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.errcode, errcode, what);
}

/** The test server's user ID of `localpart`. */
export const localUserId = (localpart: string): string => `@${localpart}:${SERVER_NAME}`;

/** Calls under `/_matrix/client/v3` as a user, against the server `server()` returns (set in `before`). */
export interface UserCalls {
  ok(res: Res): Record<string, unknown>;
  post(u: TestUser, path: string, body?: unknown): Promise<Res>;
  put(u: TestUser, path: string, body?: unknown): Promise<Res>;
  /** `POST /createRoom`; the new room's ID. */
  create(u: TestUser, body?: Record<string, unknown>): Promise<string>;
}

export function userCalls(server: () => ClientTestServer): UserCalls {
  const V3 = '/_matrix/client/v3';
  const post = (u: TestUser, path: string, body: unknown = {}) => server().call('POST', V3 + path, { token: u.accessToken, body });
  const put = (u: TestUser, path: string, body: unknown = {}) => server().call('PUT', V3 + path, { token: u.accessToken, body });
  return { ok: okBody, post, put, create: async (u, body = {}) => String(okBody(await post(u, '/createRoom', body)).room_id) };
}
