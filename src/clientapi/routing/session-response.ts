/** The body `/login`, `/register` and shared-secret registration return for a new session. */
import type { IssuedSession } from '../../userapi/api.js';

/** `user_id`, `access_token`, `device_id`, the deprecated `home_server`, and refresh fields when issued. */
export function sessionResponse(s: IssuedSession, serverName: string): Record<string, unknown> {
  return {
    user_id: s.userId,
    access_token: s.accessToken,
    device_id: s.deviceId,
    home_server: serverName,
    ...(s.refreshToken !== null ? { refresh_token: s.refreshToken } : {}),
    ...(s.expiresInMs !== null ? { expires_in_ms: s.expiresInMs } : {}),
  };
}
