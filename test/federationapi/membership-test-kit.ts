/**
 * Test support for the inbound membership routes: the routes over a real roomserver API (from
 * `describeRoomserverApi`, signing as `test.local` with `LOCAL_KEY`) served by a
 * {@link testFederationApp} that takes the asking server from the `X-Matrix` header, and the
 * remote server's side of the dance: filling in a template and signing it as `remote.test`.
 */
import assert from 'node:assert/strict';
import { injectAs, type InjectedAnswer } from '../../src/federationapi/routing/inject-as.js';
import { membershipRoutes } from '../../src/federationapi/routing/membership-routes.js';
import { testFederationApp } from '../../src/federationapi/routing/test-federation-app.js';
import { buildEvent } from '../../src/matrix/build-event.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import type { SigningKey } from '../../src/matrix/signing-key.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { LOCAL_KEY, REMOTE, SERVER } from '../roomserver/roomserver-api-kit.js';

export const enc = encodeURIComponent;

/** The app, with calls made in the name of `origin`. */
export interface MembershipApp {
  get(url: string, origin?: string): Promise<InjectedAnswer>;
  put(url: string, body: unknown, origin?: string): Promise<InjectedAnswer>;
  close(): Promise<void>;
}

/** Builds the app for `test.local` over `api`. */
export function membershipApp(api: RoomserverAPI): MembershipApp {
  const app = testFederationApp(membershipRoutes({ serverName: SERVER, signingKey: LOCAL_KEY, membershipRoomserverApi: api }));
  return {
    get: (url, origin = REMOTE) => injectAs(app, origin, 'GET', url),
    put: (url, body, origin = REMOTE) => injectAs(app, origin, 'PUT', url, body),
    close: () => app.close(),
  };
}

/** Runs `f` with a fresh app, closing it afterwards. */
export async function withMembershipApp(api: RoomserverAPI, f: (app: MembershipApp) => Promise<void>): Promise<void> {
  const app = membershipApp(api);
  try {
    await f(app);
  } finally {
    await app.close();
  }
}

/** The joining server's part: the template, with `content` merged in, hashed and signed by `server`. */
export function fillTemplate(template: JsonObject, version: string, key: SigningKey, extraContent: JsonObject = {}, server = REMOTE): RoomEvent {
  const t = template as Record<string, unknown>;
  return buildEvent(
    {
      type: t.type as string,
      state_key: t.state_key as string,
      sender: t.sender as string,
      content: { ...(t.content as JsonObject), ...extraContent },
      room_id: t.room_id as string,
      prev_events: t.prev_events as string[],
      auth_events: t.auth_events as string[],
      depth: t.depth as number,
      origin_server_ts: t.origin_server_ts as number,
    },
    roomVersion(version),
    { serverName: server, key },
  );
}

/** Asserts a refusal with its status and errcode. */
export function refused(res: InjectedAnswer, status: number, errcode: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.errcode, errcode, JSON.stringify(res.body));
}

/** The body of a 200 answer. */
export function ok(res: InjectedAnswer): Record<string, unknown> {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The stored PDUs of `ids`, in order. */
export async function storedPdus(api: RoomserverAPI, ids: readonly string[]): Promise<JsonObject[]> {
  const { events } = await api.queryEvents({ eventIds: ids });
  assert.equal(events.length, ids.length);
  return events.map((e) => e.event);
}
