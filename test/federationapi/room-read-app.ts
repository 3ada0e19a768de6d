/**
 * Test support for the federation read routes: the routes served over a real roomserver API
 * (from `describeRoomserverApi`) by a {@link testFederationApp}, which takes the asking server
 * from the `origin` of any `X-Matrix` header.
 */
import { roomReadRoutes } from '../../src/federationapi/routing/room-read-routes.js';
import type { RoomReadRoomserverAPI } from '../../src/federationapi/routing/room-read-deps.js';
import { testFederationApp } from '../../src/federationapi/routing/test-federation-app.js';

/** The clock of every answer. */
export const READ_TEST_NOW = 1_700_000_000_000;

/** An answer: status and parsed body. */
export interface ReadAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The app and calls signed (in name) by `origin`. */
export interface ReadApp {
  get(url: string, origin: string): Promise<ReadAnswer>;
  post(url: string, body: unknown, origin: string): Promise<ReadAnswer>;
  close(): Promise<void>;
}

/** Builds the app for `serverName` over `api`. */
export function roomReadApp(serverName: string, api: RoomReadRoomserverAPI): ReadApp {
  const app = testFederationApp(roomReadRoutes({ serverName, readRoomserverApi: api, now: () => READ_TEST_NOW }));
  const call = async (method: 'GET' | 'POST', url: string, origin: string, payload?: unknown): Promise<ReadAnswer> => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `X-Matrix origin="${origin}",key="ed25519:k",sig="x"`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  return {
    get: (url, origin) => call('GET', url, origin),
    post: (url, body, origin) => call('POST', url, origin, body),
    close: () => app.close(),
  };
}
