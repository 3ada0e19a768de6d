/** The access-token check every listener of a process uses, over the userapi wherever it runs. */
import type { Logger } from 'pino';
import { createUserAuthenticator } from '../clientapi/auth/user-authenticator.js';
import type { Authenticators } from '../internal/httputil/authenticators.js';
import type { ClientUserAPI } from '../userapi/api.js';

export function userAuthenticators(components: { api<T>(name: string): T }, logger: Logger): Authenticators {
  const userApi = components.api<ClientUserAPI>('userapi');
  return { user: createUserAuthenticator({ userApi, logger }) };
}
