/**
 * Runs user-interactive auth for a route: binds the session to this request (method, path,
 * body, requester) and lets the stages use the shared failed-login limiter.
 */
import type { RouteContext, RouteSchemas } from '../../internal/httputil/route.js';
import { isJsonObject } from '../../matrix/json.js';
import { runUserInteractiveAuth, type UiaOutcome } from '../auth/run-user-interactive-auth.js';
import type { UiaFlow } from '../auth/uia-flows.js';
import { requestBinding } from '../auth/uia-request-binding.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The flow of endpoints that make an authenticated user re-prove who they are. */
export const PASSWORD_FLOWS: readonly UiaFlow[] = [['m.login.password']];

/** Runs UIA with `flows` for the request in `ctx`. */
export async function runRouteUia<S extends RouteSchemas>(
  deps: ClientRouteDeps,
  ctx: RouteContext<S>,
  flows: readonly UiaFlow[],
): Promise<UiaOutcome> {
  const userId = ctx.requester?.userId ?? '';
  return runUserInteractiveAuth({
    userApi: deps.userApi,
    flows,
    auth: isJsonObject(ctx.body) ? ctx.body.auth : undefined,
    binding: requestBinding(ctx.request.method, ctx.request.url, ctx.body, userId),
    stage: {
      userApi: deps.userApi,
      serverName: deps.config.server_name,
      failedLogins: deps.failedLogins,
      userId,
    },
  });
}
