/**
 * Reads, defaults and validates the YAML configuration. Any problem becomes one ConfigError listing
 * every bad key by its dotted path, so an operator fixes the file in one go.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import Value from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { ConfigSchema, type AxonConfig } from './config-schema.js';
import { checkConfigSemantics } from './check-config-semantics.js';

/** A validated config with every path made absolute, plus where it came from. */
export interface LoadedConfig extends AxonConfig {
  /** Absolute path of the file read (empty for configs built in memory). */
  readonly configPath: string;
  /** Directory relative paths in the file are resolved against. */
  readonly configDir: string;
  /** The client-visible base URL (public_baseurl or derived from the client listener). */
  readonly publicBaseUrl: string;
}

/** Loads and validates the config file at `path`. */
export function loadConfigFile(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `config file not found: ${path}` : `cannot read config file ${path}: ${String(e)}`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(e as Error).message}`);
  }
  return configFromObject(raw ?? {}, resolve(path));
}

/** Validates an already-parsed config object (tests and generated configs use this directly). */
export function configFromObject(raw: unknown, configPath = ''): LoadedConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config must be a YAML mapping of keys to values');
  }
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw)) as unknown;
  const problems = describeErrors(withDefaults);
  if (problems.length > 0) {
    throw new ConfigError(`invalid config${configPath ? ` in ${configPath}` : ''}:\n  ${problems.join('\n  ')}`, firstKey(problems));
  }
  const cfg = withDefaults as AxonConfig;
  checkConfigSemantics(cfg);
  const configDir = configPath ? dirname(configPath) : process.cwd();
  return resolvePaths(cfg, configPath, configDir);
}

function describeErrors(value: unknown): string[] {
  const out = new Set<string>();
  for (const err of Value.Errors(ConfigSchema, value)) {
    const path = err.instancePath.split('/').filter(Boolean).join('.');
    const at = (key: string) => (path ? `${path}.${key}` : key);
    switch (err.keyword) {
      case 'required': {
        const missing = (err.params as { requiredProperties?: string[] }).requiredProperties ?? [];
        for (const k of missing) out.add(`${at(k)}: missing required value`);
        break;
      }
      case 'boolean':
        // A `false` schema: the key is not allowed here (additionalProperties: false).
        out.add(`${path}: unknown key`);
        break;
      case 'additionalProperties':
        break; // reported per key by the 'boolean' errors above
      default:
        out.add(`${path || '(top level)'}: ${err.message}, got ${describeValue(lookup(value, path))}`);
    }
  }
  return [...out];
}

function lookup(value: unknown, path: string): unknown {
  let v = value;
  for (const k of path.split('.').filter(Boolean)) {
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function firstKey(problems: string[]): string | undefined {
  return problems[0]?.split(':')[0];
}

function resolvePaths(cfg: AxonConfig, configPath: string, configDir: string): LoadedConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(configDir, p));
  const sqlite = (conn: string) => (conn.startsWith('sqlite:') && conn !== 'sqlite::memory:' ? `sqlite:${abs(conn.slice(7))}` : conn);
  const components = Object.fromEntries(
    Object.entries(cfg.database.components).map(([k, v]) => [k, v && { connection_string: sqlite(v.connection_string) }]),
  );
  const fed = cfg.listen.federation;
  const client = cfg.listen.client;
  const host = client.host === '0.0.0.0' || client.host === '::' ? '127.0.0.1' : client.host;
  const publicBaseUrl = cfg.public_baseurl ?? `http://${host.includes(':') ? `[${host}]` : host}:${client.port}/`;
  return {
    ...cfg,
    configPath,
    configDir,
    publicBaseUrl: publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`,
    signing_key_path: abs(cfg.signing_key_path),
    listen: {
      ...cfg.listen,
      federation: fed && { ...fed, tls_cert: abs(fed.tls_cert), tls_key: abs(fed.tls_key) },
    },
    database: { ...cfg.database, connection_string: sqlite(cfg.database.connection_string), components },
    media: { ...cfg.media, path: abs(cfg.media.path) },
    federation: { ...cfg.federation, ca_file: cfg.federation.ca_file && abs(cfg.federation.ca_file) },
    app_service_config_files: cfg.app_service_config_files.map(abs),
  };
}
