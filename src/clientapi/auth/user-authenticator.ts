/**
 * The access-token check of the HTTP layer, over the userapi: an unknown token is
 * M_UNKNOWN_TOKEN, an expired one (refresh tokens) M_UNKNOWN_TOKEN with `soft_logout: true` so
 * the client refreshes or re-logs in keeping its state. A locked account gets M_USER_LOCKED (also
 * soft logout) on everything but logout; a suspended one passes, flagged for the routes to judge.
 * Each device's last-seen time, IP and user agent are recorded at most once a minute, without
 * delaying the request.
 */
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { UserAuthenticator } from '../../internal/httputil/authenticators.js';
import type { Requester } from '../../internal/httputil/route.js';
import type { ClientUserAPI } from '../../userapi/api.js';

/**
 * The routes a locked account may still call (spec "Account locking": `POST /logout` and
 * `POST /logout/all`), matched on the registered path so every version prefix counts. Checked
 * here rather than per route because the lock must cover every authenticated route of every
 * component, including those written without it in mind.
 */
const ALLOWED_WHILE_LOCKED = /^\/_matrix\/client\/[^/]+\/logout(?:\/all)?$/;

/** Whether a locked account may make this request. */
export function allowedWhileLocked(req: Pick<FastifyRequest, 'method' | 'routeOptions'>): boolean {
  return req.method === 'POST' && ALLOWED_WHILE_LOCKED.test(req.routeOptions.url ?? '');
}

/** Minimum time between two last-seen writes for one device. */
export const LAST_SEEN_INTERVAL_MS = 60_000;

export interface UserAuthenticatorOptions {
  readonly userApi: Pick<ClientUserAPI, 'queryAccessToken' | 'performLastSeenUpdate'>;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Devices whose last write time is remembered; the least recently seen are forgotten first. */
  readonly maxTrackedDevices?: number;
}

/**
 * Builds the authenticator. Application-service tokens and `?user_id=` masquerading are the
 * appservice component's to add: the userapi reports `appserviceId` and this passes it on.
 */
export function createUserAuthenticator(opts: UserAuthenticatorOptions): UserAuthenticator {
  const now = opts.now ?? Date.now;
  const max = opts.maxTrackedDevices ?? 100_000;
  const lastWritten = new Map<string, number>();

  function recordLastSeen(userId: string, deviceId: string, req: FastifyRequest): void {
    const key = `${userId}\u0000${deviceId}`;
    const t = now();
    const prev = lastWritten.get(key);
    if (prev !== undefined && t - prev < LAST_SEEN_INTERVAL_MS) return;
    lastWritten.delete(key); // re-inserted: Map order is recency, the oldest go first
    lastWritten.set(key, t);
    if (lastWritten.size > max) {
      const oldest = lastWritten.keys().next().value;
      if (oldest !== undefined) lastWritten.delete(oldest);
    }
    const userAgent = req.headers['user-agent'] ?? null;
    opts.userApi.performLastSeenUpdate({ userId, deviceId, ip: req.ip, userAgent }).catch((err: unknown) => {
      opts.logger.warn({ err, userId, deviceId }, 'could not record last-seen');
    });
  }

  return {
    async authenticate(token: string, req: FastifyRequest): Promise<Requester> {
      const { owner, expired } = await opts.userApi.queryAccessToken({ accessToken: token });
      if (!owner) {
        throw expired
          ? MatrixError.unknownToken('The access token has expired', true)
          : MatrixError.unknownToken('Unknown access token');
      }
      if (owner.locked && !allowedWhileLocked(req)) throw MatrixError.userLocked();
      recordLastSeen(owner.userId, owner.deviceId, req);
      return {
        userId: owner.userId,
        deviceId: owner.deviceId,
        isGuest: owner.isGuest,
        isAdmin: owner.isAdmin,
        appserviceId: owner.appserviceId ?? undefined,
        suspended: owner.suspended,
      };
    },
  };
}
