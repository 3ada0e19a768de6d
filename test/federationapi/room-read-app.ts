/**
 * Test support for the federation read routes: the routes served over a real roomserver API
 * (from `describeRoomserverApi`) by a {@link testFederationApp}, which takes the asking server
 * from the `origin` of any `X-Matrix` header.
 */
import assert from 'node:assert/strict';
import { injectAs, type InjectedAnswer } from '../../src/federationapi/routing/inject-as.js';
import { roomReadRoutes } from '../../src/federationapi/routing/room-read-routes.js';
import type { RoomReadRoomserverAPI } from '../../src/federationapi/routing/room-read-deps.js';
import { testFederationApp } from '../../src/federationapi/routing/test-federation-app.js';

/** The clock of every answer. */
export const READ_TEST_NOW = 1_700_000_000_000;

/** The app and calls signed (in name) by `origin`. */
export interface ReadApp {
  get(url: string, origin: string): Promise<InjectedAnswer>;
  post(url: string, body: unknown, origin: string): Promise<InjectedAnswer>;
  close(): Promise<void>;
}

/** Builds the app for `serverName` over `api`. */
export function roomReadApp(serverName: string, api: RoomReadRoomserverAPI): ReadApp {
  const app = testFederationApp(roomReadRoutes({ serverName, readRoomserverApi: api, now: () => READ_TEST_NOW }));
  return {
    get: (url, origin) => injectAs(app, origin, 'GET', url),
    post: (url, body, origin) => injectAs(app, origin, 'POST', url, body),
    close: () => app.close(),
  };
}

/** Runs `run` against a fresh app for `serverName` over `api`, closing it afterwards. */
export async function withReadApp(serverName: string, api: RoomReadRoomserverAPI, run: (app: ReadApp) => Promise<void>): Promise<void> {
  const app = roomReadApp(serverName, api);
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

/** Asserts a 4xx answer with its errcode. */
export function refused(res: { status: number; body: Record<string, unknown> }, status: number, errcode: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.errcode, errcode);
}
