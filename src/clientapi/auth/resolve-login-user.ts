/**
 * Which local user a login or `m.login.password` auth dict names. The spec lets clients give the
 * localpart or the full user ID, in an `m.id.user` identifier or the deprecated top-level `user`.
 * Localparts are lower-cased because new user IDs are always lower case (appendix "User
 * Identifiers": `@USER:server` must reach `@user:server`).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import { isJsonObject } from '../../matrix/json.js';

/** Third-party identifier types: this server binds no 3PIDs, so none can name a user. */
const THIRD_PARTY_TYPES = new Set(['m.id.thirdparty', 'm.id.phone']);

/**
 * The full user ID the dict names, on `serverName`.
 * @throws M_FORBIDDEN for third-party identifiers and users of other servers (the spec's 403 for
 *   an unknown 3PID), M_UNKNOWN for an unknown identifier type, M_MISSING_PARAM when no user is given.
 */
export function resolveLoginUser(dict: Readonly<Record<string, unknown>>, serverName: string): string {
  const identifier = dict.identifier;
  if (identifier !== undefined) {
    if (!isJsonObject(identifier)) throw MatrixError.badJson("'identifier' must be an object");
    const type = identifier.type;
    if (typeof type === 'string' && THIRD_PARTY_TYPES.has(type)) {
      throw MatrixError.forbidden('No account is bound to this third-party identifier');
    }
    if (type !== 'm.id.user') throw MatrixError.unknown(`Unknown identifier type ${JSON.stringify(type)}`);
    if (typeof identifier.user !== 'string') throw MatrixError.missingParam("Missing field 'identifier.user'");
    return qualify(identifier.user, serverName);
  }
  if (typeof dict.user === 'string') return qualify(dict.user, serverName);
  if (dict.medium !== undefined || dict.address !== undefined) {
    throw MatrixError.forbidden('No account is bound to this third-party identifier');
  }
  throw MatrixError.missingParam("Missing field 'identifier'");
}

/** `alice`, `Alice`, `@Alice:server` → `@alice:server`; only local users can log in here. */
function qualify(user: string, serverName: string): string {
  if (!user.startsWith('@')) return `@${user.toLowerCase()}:${serverName}`;
  const colon = user.indexOf(':');
  const folded = colon < 0 ? user : `@${user.slice(1, colon).toLowerCase()}${user.slice(colon)}`;
  const parsed = parseUserId(folded, { allowHistorical: true });
  if (!parsed.ok) throw MatrixError.forbidden('Invalid username or password');
  if (parsed.value.serverName !== serverName) throw MatrixError.forbidden('Only users of this server can log in here');
  return folded;
}
