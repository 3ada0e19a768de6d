/**
 * What the Synapse-compatible user admin routes share: the local-user check, the user objects
 * Synapse's API answers with, and profile changes sent to rooms (deactivation, which also
 * reaches beyond the userapi, is `deactivate-account.ts`, shared with `POST /account/deactivate`).
 *
 * Fields Axon has no data for get the value that is true of every Axon account: no third-party
 * IDs or SSO identities are ever linked by this API, no account is shadow-banned or GDPR-erased,
 * no consent is tracked and no user types exist, so `threepids`/`external_ids` are `[]`,
 * `shadow_banned`/`erased` false and `user_type`/`consent_*` null.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { Account, ClientUserAPI, ListedAccount } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { MEMBER_PROFILE_FIELDS, propagateProfile } from './propagate-profile.js';

/**
 * Checks that `userId` is a well-formed ID of this server's user: 400 `M_INVALID_PARAM` for a
 * malformed one, `remote` for another server's (Synapse's admin API: 400 `M_UNKNOWN` with a
 * per-endpoint message; the spec's admin endpoints: 400 `M_INVALID_PARAM`).
 */
export function requireLocalUserId(userId: string, serverName: string, remote: MatrixError): void {
  const parsed = parseUserId(userId, { allowHistorical: true });
  if (!parsed.ok) throw MatrixError.invalidParam(`Invalid user ID: ${parsed.reason}`);
  if (parsed.value.serverName !== serverName) throw remote;
}

/** The spec's answer for another server's user on its admin endpoints. */
export const NOT_LOCAL_USER = (): MatrixError => MatrixError.invalidParam('User does not belong to the local server');

/** The fields Synapse's list and single-user answers share. */
function commonUserJson(a: Account, displayname: string | null, avatarUrl: string | null, lastSeenTs: number | null): Record<string, unknown> {
  return {
    name: a.userId,
    is_guest: a.accountType === 'guest',
    admin: a.isAdmin,
    user_type: null,
    deactivated: a.deactivated,
    erased: false,
    shadow_banned: false,
    displayname,
    avatar_url: avatarUrl,
    last_seen_ts: lastSeenTs,
    locked: a.locked,
  };
}

/** A user in `GET /_synapse/admin/v2/users`; `creation_ts` in ms there, as Synapse lists it. */
export function listedUserJson(a: ListedAccount): Record<string, unknown> {
  return { ...commonUserJson(a, a.displayname, a.avatarUrl, a.lastSeenTs), creation_ts: a.createdTs };
}

/**
 * The user object of `GET`/`PUT /_synapse/admin/v2/users/{userId}`, or undefined for an unknown
 * user. Synapse gives `creation_ts` in seconds here (unlike its list), and tools expect that.
 */
export async function adminUserJson(api: ClientUserAPI, userId: string): Promise<Record<string, unknown> | undefined> {
  const { account } = await api.queryAccount({ userId });
  if (account === null) return undefined;
  const { profile } = await api.queryProfile({ userId });
  const { devices } = await api.queryDevices({ userId });
  const seen = devices.map((d) => d.lastSeenTs).filter((ts): ts is number => ts !== null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    ...commonUserJson(account, str(profile.displayname), str(profile.avatar_url), seen.length > 0 ? Math.max(...seen) : null),
    creation_ts: Math.floor(account.createdTs / 1000),
    threepids: [],
    external_ids: [],
    appservice_id: account.appserviceId,
    consent_server_notice_sent: null,
    consent_version: null,
    consent_ts: null,
    suspended: account.suspended,
  };
}

/**
 * Sets `displayname` or `avatar_url` the way `PUT /profile` does, so the user's rooms get a new
 * member event; `""` removes the field (Synapse's admin API meaning).
 */
export async function setProfileField(deps: ClientRouteDeps, userId: string, field: 'displayname' | 'avatar_url', value: string): Promise<void> {
  const { profile } = await deps.userApi.performProfileUpdate({ userId, field, value: value === '' ? null : value });
  if (MEMBER_PROFILE_FIELDS.includes(field)) await propagateProfile(deps, userId, profile);
}
