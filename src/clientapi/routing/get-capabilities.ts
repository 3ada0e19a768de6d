/**
 * `GET /capabilities`: what this server lets the user do. Room versions come from the
 * room-version table with the configured default; 3PID changes are off because the server has
 * no 3PID support; login tokens are always available (`POST /login/get_token`). Server admins
 * see `m.account_moderation` (they may lock and suspend accounts); for others the spec wants it
 * left out rather than sent with both flags false. A suspended account may not change its profile
 * (`forbid-if-suspended.ts`), so its profile capabilities say so instead of promising a 403.
 */
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { ROOM_VERSIONS } from '../../matrix/room-version.js';
import type { ClientRouteDeps } from './client-route-deps.js';

export function getCapabilities(deps: ClientRouteDeps): AnyRoute {
  const roomVersions = {
    default: deps.config.rooms.default_version,
    available: Object.fromEntries([...ROOM_VERSIONS.values()].map((v) => [v.id, v.stability])),
  };
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v3/capabilities',
    auth: 'user-or-guest',
    rateLimit: 'default',
    schema: {},
    handler: async ({ requester }) => {
      const profile = { enabled: requester?.suspended !== true };
      return {
        capabilities: {
          'm.room_versions': roomVersions,
          'm.change_password': { enabled: true },
          'm.set_displayname': profile,
          'm.set_avatar_url': profile,
          'm.3pid_changes': { enabled: false },
          'm.get_login_token': { enabled: true },
          'm.profile_fields': profile,
          ...(requester?.isAdmin === true ? { 'm.account_moderation': { lock: true, suspend: true } } : {}),
        },
      };
    },
  });
}
