/**
 * `claimRemoteKeys`: one-time (or fallback) keys of another server's devices for `/keys/claim`,
 * through its `POST /user/keys/claim` within the request's timeout. Claims always go to the
 * server: a claimed key is used up there. Only keys of the devices asked for are passed on.
 */
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonValue } from '../../matrix/json.js';
import type { ClaimRemoteKeysRequest, ClaimRemoteKeysResponse } from '../api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { DEFAULT_REMOTE_KEYS_TIMEOUT_MS } from './query-remote-keys.js';
import { noServerCouldError, requireClient } from './remote-servers.js';

/** Asks the server. */
export async function claimRemoteKeys(ctx: FederationInternalContext, req: ClaimRemoteKeysRequest): Promise<ClaimRemoteKeysResponse> {
  const asked = Object.fromEntries(Object.entries(req.oneTimeKeys).filter(([userId]) => domainOf(userId) === req.server && req.server !== ctx.serverName));
  if (Object.keys(asked).length === 0) return { oneTimeKeys: {} };
  let answer: unknown;
  try {
    answer = await requireClient(ctx).request<unknown>({
      method: 'POST',
      destination: req.server,
      path: '/_matrix/federation/v1/user/keys/claim',
      body: { one_time_keys: asked },
      timeoutMs: req.timeoutMs ?? DEFAULT_REMOTE_KEYS_TIMEOUT_MS,
    });
  } catch (e) {
    throw noServerCouldError('claim keys', [req.server], e);
  }
  if (!isJsonObject(answer)) throw noServerCouldError('claim keys', [req.server], new Error('the answer is not an object'));
  const theirs = isJsonObject(answer.one_time_keys) ? answer.one_time_keys : {};
  const oneTimeKeys: Record<string, Record<string, Record<string, JsonValue>>> = {};
  for (const [userId, devices] of Object.entries(asked)) {
    const got = theirs[userId];
    if (!isJsonObject(got)) continue;
    for (const deviceId of Object.keys(devices)) {
      const keys = got[deviceId];
      if (isJsonObject(keys) && Object.keys(keys).length > 0) (oneTimeKeys[userId] ??= {})[deviceId] = keys;
    }
  }
  return { oneTimeKeys };
}
