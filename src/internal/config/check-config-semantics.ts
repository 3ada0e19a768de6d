/**
 * Checks the schema cannot express: value grammars and combinations of keys.
 */
import { ConfigError } from './config-error.js';
import type { AxonConfig } from './config-schema.js';
import { isKnownRoomVersion } from '../../matrix/room-version.js';

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
