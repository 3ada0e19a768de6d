/**
 * What every userapi operation works with: storage, the server name, the clock, the token cache
 * and the settings. Built once by `createUserInternalAPI`; operations take it as first argument.
 */
import type { Logger } from 'pino';
import type { Outbox } from '../../internal/bus/bus.js';
import type { UserStorage } from '../storage/index.js';
import type { AccessTokenCache } from './access-token-cache.js';

/** Default lifetime of an access token issued together with a refresh token (Synapse's: 5 min). */
export const DEFAULT_REFRESHABLE_ACCESS_TOKEN_LIFETIME_MS = 5 * 60_000;
/** Default time a user-interactive-auth session lives after its creation. */
export const DEFAULT_UIA_SESSION_LIFETIME_MS = 30 * 60_000;

export interface UserInternalContext {
  readonly storage: UserStorage;
  readonly serverName: string;
  /** The clock (ms since the epoch); injectable so expiry can be tested. */
  readonly now: () => number;
  readonly tokenCache: AccessTokenCache;
  readonly refreshableAccessTokenLifetimeMs: number;
  readonly uiaSessionLifetimeMs: number;
  /** `user_directory.search_all_users`: directory searches find every local user, not only visible ones. */
  readonly searchAllUsers: boolean;
  /**
   * Publishes what account-data writes queued. A failure is logged, not thrown: the change is
   * committed and its message stays in the outbox, sent by the next flush or at start-up.
   */
  flushOutbox(): Promise<void>;
  readonly logger: Logger | undefined;
}

/** The localpart of a user of this server, or undefined for a malformed ID or another server's user. */
export function localpartOf(ctx: { readonly serverName: string }, userId: string): string | undefined {
  const suffix = `:${ctx.serverName}`;
  if (!userId.startsWith('@') || !userId.endsWith(suffix)) return undefined;
  const localpart = userId.slice(1, -suffix.length);
  return localpart.includes(':') ? undefined : localpart;
}

/** The full user ID of a local user. */
export function userIdOf(ctx: UserInternalContext, localpart: string): string {
  return `@${localpart}:${ctx.serverName}`;
}

/** Flushes `outbox` (if any), logging instead of throwing. */
export function outboxFlusher(outbox: Outbox | undefined, logger: Logger | undefined): () => Promise<void> {
  return async () => {
    if (!outbox) return;
    try {
      await outbox.flush();
    } catch (e) {
      logger?.warn({ err: e }, 'userapi: publishing account-data changes failed; they stay queued');
    }
  };
}
