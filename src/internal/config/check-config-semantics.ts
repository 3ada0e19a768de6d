/**
 * Checks the schema cannot express: value grammars and combinations of keys.
 */
import { ConfigError } from './config-error.js';
import type { AxonConfig } from './config-schema.js';
import { isKnownRoomVersion } from '../../matrix/room-version.js';
import { parseUserId } from '../../matrix/ids/user-id.js';

/** Throws a ConfigError naming the first key whose value is unusable. */
export function checkConfigSemantics(cfg: AxonConfig): void {
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(cfg.server_name)) {
    fail('server_name', `"${cfg.server_name}" is not a valid server name (hostname or IP literal, optional :port)`);
  }
  checkConnectionString('database.connection_string', cfg.database.connection_string);
  for (const [name, override] of Object.entries(cfg.database.components)) {
    if (override) checkConnectionString(`database.components.${name}.connection_string`, override.connection_string);
  }
  if (cfg.public_baseurl !== undefined) checkUrl('public_baseurl', cfg.public_baseurl, ['http:', 'https:']);
  for (const [name, peer] of Object.entries(cfg.components)) {
    if (peer) checkUrl(`components.${name}.internal_url`, peer.internal_url, ['http:', 'https:']);
  }
  cfg.bus.nats.servers.forEach((s, i) => checkUrl(`bus.nats.servers.${i}`, s, ['nats:', 'tls:']));
  if (!isKnownRoomVersion(cfg.rooms.default_version)) {
    fail('rooms.default_version', `room version "${cfg.rooms.default_version}" is not supported (1–12)`);
  }
  const shard = cfg.federation.sender_shard;
  if (shard.index >= shard.count) fail('federation.sender_shard.index', `shard ${shard.index} does not exist with count ${shard.count} (indexes run 0 … ${shard.count - 1})`);
  for (const key of ['allow_networks', 'deny_networks'] as const) {
    cfg.federation[key].forEach((cidr, i) => {
      if (!/^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(cidr)) fail(`federation.${key}.${i}`, `"${cidr}" is not a CIDR like 10.0.0.0/8`);
    });
  }
  checkTurn(cfg.turn);
  if (cfg.well_known.support) checkSupport(cfg.well_known.support);
}

/** TURN needs URIs and exactly one kind of credentials, or neither (no TURN). */
function checkTurn(turn: AxonConfig['turn']): void {
  turn.uris.forEach((uri, i) => {
    // The spec's pattern for `uris`; a stun: URI here would be handed to clients as a relay.
    if (!/^turns?:/.test(uri)) fail(`turn.uris.${i}`, `"${uri}" is not a TURN URI (turn:… or turns:…)`);
  });
  const fixed = turn.username !== undefined || turn.password !== undefined;
  if (turn.shared_secret !== undefined && fixed) {
    fail('turn.shared_secret', 'set either turn.shared_secret or turn.username and turn.password, not both');
  }
  if (turn.username === undefined && turn.password !== undefined) fail('turn.username', 'turn.password needs turn.username');
  if (turn.username !== undefined && turn.password === undefined) fail('turn.password', 'turn.username needs turn.password');
  const credentials = turn.shared_secret !== undefined || fixed;
  if (turn.uris.length > 0 && !credentials) {
    fail('turn.uris', 'TURN servers need credentials: set turn.shared_secret, or turn.username and turn.password');
  }
  if (turn.uris.length === 0 && credentials) fail('turn.uris', 'TURN credentials are set but no turn.uris to use them with');
}

type SupportConfig = NonNullable<AxonConfig['well_known']['support']>;

/** The spec's rules for the support document: something to show, and a way to reach each contact. */
function checkSupport(support: SupportConfig): void {
  const contacts = support.contacts ?? [];
  if (contacts.length === 0 && support.support_page === undefined) {
    fail('well_known.support', 'set contacts (at least one) or support_page, or remove well_known.support');
  }
  contacts.forEach((c, i) => {
    const key = `well_known.support.contacts.${i}`;
    if (!isSupportRole(c.role)) {
      fail(`${key}.role`, `"${c.role}" is not m.role.admin, m.role.security or a namespaced role like org.example.billing`);
    }
    if (c.matrix_id === undefined && c.email_address === undefined) fail(key, 'needs matrix_id, email_address or both');
    if (c.matrix_id !== undefined) {
      // The contact may live on another server, which may still use the historical grammar.
      const parsed = parseUserId(c.matrix_id, { allowHistorical: true });
      if (!parsed.ok) fail(`${key}.matrix_id`, `"${c.matrix_id}" is not a user ID: ${parsed.reason}`);
    }
    if (c.email_address !== undefined && !/^[^@\s]+@[^@\s]+$/.test(c.email_address)) {
      fail(`${key}.email_address`, `"${c.email_address}" is not an email address`);
    }
  });
  if (support.support_page !== undefined) checkUrl('well_known.support.support_page', support.support_page, ['http:', 'https:']);
}

/** The spec's two roles, or any other in the common namespaced identifier grammar (`m.` is reserved). */
function isSupportRole(role: string): boolean {
  if (role === 'm.role.admin' || role === 'm.role.security') return true;
  return /^[a-z][a-z0-9._-]{0,254}$/.test(role) && !role.startsWith('m.');
}

function checkConnectionString(key: string, value: string): void {
  if (value.startsWith('sqlite:')) {
    if (value.length === 'sqlite:'.length) fail(key, 'sqlite: needs a file path, e.g. sqlite:axon.db');
    return;
  }
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    checkUrl(key, value, ['postgres:', 'postgresql:']);
    return;
  }
  fail(key, `"${redact(value)}" must start with sqlite: or postgres://`);
}

function checkUrl(key: string, value: string, protocols: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(key, `"${redact(value)}" is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) fail(key, `"${redact(value)}" must use ${protocols.join(' or ')}`);
}

/** Connection strings may hold passwords: never echo them whole. */
function redact(value: string): string {
  return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function fail(key: string, msg: string): never {
  throw new ConfigError(`invalid config: ${key}: ${msg}`, key);
}
