/**
 * Helpers for the mediaapi suites: a real monolith with a registered user, raw upload and
 * download calls, and real images made with sharp (PNG with alpha, JPEG, animated GIF and WebP).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { registrationMac } from '../../src/clientapi/auth/shared-secret-mac.js';
import type { MediaAPI } from '../../src/mediaapi/api.js';
import { SHARED_SECRET, type TestUser } from '../clientapi/client-test-server.js';
import { startTestMonolith, type TestMonolith } from '../harness/start-test-monolith.js';

export interface MediaTestServer {
  readonly monolith: TestMonolith;
  readonly url: string;
  /** The mediaapi's internal API (admin hooks). */
  readonly media: MediaAPI;
  /** Registers another user. */
  register(localpart: string, admin?: boolean): Promise<TestUser>;
  readonly alice: TestUser;
  readonly bob: TestUser;
  stop(): Promise<void>;
}

/** A monolith with users alice and bob; `media` overrides are merged into the `media` section. */
export async function startMediaTestServer(media: Record<string, unknown> = {}): Promise<MediaTestServer> {
  const mediaDir = mkdtempSync(join(tmpdir(), 'axon-media-'));
  const monolith = await startTestMonolith({ registration: { enabled: true, shared_secret: SHARED_SECRET }, media: { path: mediaDir, ...media } });
  const url = monolith.baseUrl;
  const register = async (localpart: string, admin = false): Promise<TestUser> => {
    const password = `pw-${localpart}`;
    const n = await request(`${url}/_synapse/admin/v1/register`);
    const nonce = String(n.json?.nonce);
    const mac = registrationMac(SHARED_SECRET, { nonce, username: localpart, password, admin });
    const res = await request(`${url}/_synapse/admin/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nonce, username: localpart, password, admin, mac }),
    });
    if (res.status !== 200) throw new Error(`registering ${localpart} failed: ${res.status} ${res.bytes.toString()}`);
    return { userId: String(res.json?.user_id), password, accessToken: String(res.json?.access_token), deviceId: String(res.json?.device_id) };
  };
  const alice = await register('alice');
  const bob = await register('bob');
  return {
    monolith,
    url,
    media: monolith.server.api<MediaAPI>('mediaapi'),
    register,
    alice,
    bob,
    stop: async () => {
      await monolith.stop();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

/** A raw HTTP answer. */
export interface RawRes {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> | undefined;
}

export async function request(url: string, init: RequestInit & { token?: string } = {}): Promise<RawRes> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(url, { ...init, headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, bytes, json };
}

/** `POST /_matrix/media/v3/upload`; the answer. */
export async function upload(s: MediaTestServer, token: string, bytes: Buffer, contentType?: string, filename?: string): Promise<RawRes> {
  const q = filename === undefined ? '' : `?filename=${encodeURIComponent(filename)}`;
  const headers: Record<string, string> = {};
  if (contentType !== undefined) headers['content-type'] = contentType;
  return request(`${s.url}/_matrix/media/v3/upload${q}`, { method: 'POST', token, headers, body: bytes });
}

/** Uploads and returns the media ID (fails the test on a non-200). */
export async function uploadOk(s: MediaTestServer, bytes: Buffer, contentType?: string, filename?: string): Promise<string> {
  const res = await upload(s, s.alice.accessToken, bytes, contentType, filename);
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${res.bytes.toString()}`);
  const uri = String(res.json?.content_uri);
  const m = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/.exec(uri);
  if (!m) throw new Error(`bad content_uri ${uri}`);
  return m[2]!;
}

/** An authenticated download path for our media. */
export function downloadUrl(s: MediaTestServer, mediaId: string, suffix = ''): string {
  return `${s.url}/_matrix/client/v1/media/download/hs.test/${mediaId}${suffix}`;
}

/** A `w`×`h` PNG with an alpha channel (half transparent). */
export function pngWithAlpha(w: number, h: number): Promise<Buffer> {
  return sharp({ create: { width: w, height: h, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toBuffer();
}

/** A `w`×`h` opaque JPEG. */
export function jpeg(w: number, h: number): Promise<Buffer> {
  return sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 100, b: 50 } } }).jpeg().toBuffer();
}

async function frames(w: number, h: number, n: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      sharp({ create: { width: w, height: h, channels: 4, background: { r: (i * 90) % 256, g: 40, b: 200 - i * 40, alpha: 1 } } }).png().toBuffer(),
    ),
  );
}

/** An animated GIF of `n` frames, each `w`×`h`. */
export async function animatedGif(w: number, h: number, n = 3): Promise<Buffer> {
  return sharp(await frames(w, h, n), { join: { animated: true } }).gif({ delay: Array.from({ length: n }, () => 100) }).toBuffer();
}

/** An animated WebP of `n` frames, each `w`×`h`. */
export async function animatedWebp(w: number, h: number, n = 3): Promise<Buffer> {
  return sharp(await frames(w, h, n), { join: { animated: true } }).webp({ delay: Array.from({ length: n }, () => 100) }).toBuffer();
}

/** What sharp sees in an image: format, frame size, frames, alpha. */
export async function describeImage(bytes: Buffer): Promise<{ format: string; width: number; height: number; pages: number; hasAlpha: boolean }> {
  const m = await sharp(bytes).metadata();
  return { format: m.format ?? '', width: m.width ?? 0, height: m.height ?? 0, pages: m.pages ?? 1, hasAlpha: m.hasAlpha ?? false };
}
