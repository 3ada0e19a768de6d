import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { ConfigSchema } from './config-schema.js';
import { generateConfig } from './generate-config.js';
import { configFromObject, loadConfigFile } from './load-config.js';

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'axon-cfg-'));
  const path = join(dir, 'axon.yaml');
  writeFileSync(path, text);
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ConfigError');
}

describe('config loading', () => {
  it('fills defaults and resolves relative paths against the file', () => {
    const path = writeConfig('server_name: example.org\n');
    const cfg = loadConfigFile(path);
    const dir = join(path, '..');
    assert.equal(cfg.server_name, 'example.org');
    assert.equal(cfg.listen.client.port, 8008);
    assert.equal(cfg.database.connection_string, `sqlite:${join(dir, 'axon.db')}`);
    assert.equal(cfg.signing_key_path, join(dir, 'signing.key'));
    assert.equal(cfg.media.path, join(dir, 'media'));
    assert.equal(cfg.bus.kind, 'embedded');
    assert.equal(cfg.registration.enabled, false);
    assert.equal(cfg.publicBaseUrl, 'http://127.0.0.1:8008/');
  });

  it('names an unknown key by its path', () => {
    const e = configError(() => loadConfigFile(writeConfig('server_name: a.org\nlisten:\n  client:\n    hots: 1.2.3.4\n')));
    assert.match(e.message, /listen\.client\.hots: unknown key/);
    assert.equal(e.keyPath, 'listen.client.hots');
  });

  it('names a key with the wrong type and says what was expected', () => {
    const e = configError(() => loadConfigFile(writeConfig('server_name: a.org\nlisten:\n  client:\n    port: eighty\n')));
    assert.match(e.message, /listen\.client\.port: must be integer, got string "eighty"/);
  });

  it('reports every bad key at once', () => {
    const e = configError(() => configFromObject({ server_name: 'a.org', metrics: { enabled: 'yes' }, bogus: 1 }));
    assert.match(e.message, /metrics\.enabled: must be boolean/);
    assert.match(e.message, /bogus: unknown key/);
  });

  it('requires server_name', () => {
    const e = configError(() => loadConfigFile(writeConfig('listen: {}\n')));
    assert.match(e.message, /server_name: missing required value/);
  });

  it('says when the file is missing or not YAML', () => {
    assert.match(configError(() => loadConfigFile('/nonexistent/axon.yaml')).message, /config file not found: \/nonexistent\/axon\.yaml/);
    assert.match(configError(() => loadConfigFile(writeConfig('server_name: [unclosed\n'))).message, /is not valid YAML/);
  });

  it('checks value grammars the schema cannot', () => {
    assert.match(configError(() => configFromObject({ server_name: 'bad name!' })).message, /server_name: "bad name!" is not a valid server name/);
    assert.match(
      configError(() => configFromObject({ server_name: 'a.org', database: { connection_string: 'mysql://x' } })).message,
      /database\.connection_string: "mysql:\/\/x" must start with sqlite: or postgres:\/\//,
    );
    assert.match(
      configError(() => configFromObject({ server_name: 'a.org', rooms: { default_version: '99' } })).message,
      /rooms\.default_version: room version "99" is not supported/,
    );
    assert.match(
      configError(() => configFromObject({ server_name: 'a.org', federation: { sender_shard: { index: 2, count: 2 } } })).message,
      /federation\.sender_shard\.index: shard 2 does not exist with count 2/,
    );
    const e = configError(() =>
      configFromObject({ server_name: 'a.org', database: { components: { syncapi: { connection_string: 'postgres://u:secret@[bad' } } } }),
    );
    assert.match(e.message, /database\.components\.syncapi\.connection_string/);
    assert.doesNotMatch(e.message, /secret/, 'passwords are never echoed');
  });

  it('accepts IPv6 literal server names with ports', () => {
    assert.equal(configFromObject({ server_name: '[::1]:8448' }).server_name, '[::1]:8448');
  });
});

describe('turn config', () => {
  const uris = ['turn:turn.a.org:3478?transport=udp'];
  const turnError = (turn: Record<string, unknown>) => configError(() => configFromObject({ server_name: 'a.org', turn }));

  it('defaults to no TURN, an hour of lifetime and guests allowed', () => {
    assert.deepEqual(configFromObject({ server_name: 'a.org' }).turn, { uris: [], user_lifetime_ms: 3_600_000, allow_guests: true });
  });

  it('accepts a shared secret, or a fixed username and password', () => {
    assert.equal(configFromObject({ server_name: 'a.org', turn: { uris, shared_secret: 's' } }).turn.shared_secret, 's');
    assert.equal(configFromObject({ server_name: 'a.org', turn: { uris, username: 'u', password: 'p' } }).turn.username, 'u');
  });

  it('refuses a shared secret together with a username and password, naming the keys', () => {
    const e = turnError({ uris, shared_secret: 's', username: 'u', password: 'p' });
    assert.equal(e.keyPath, 'turn.shared_secret');
    assert.match(e.message, /turn\.shared_secret: set either turn\.shared_secret or turn\.username and turn\.password, not both/);
  });

  it('wants username and password together', () => {
    assert.equal(turnError({ uris, username: 'u' }).keyPath, 'turn.password');
    assert.equal(turnError({ uris, password: 'p' }).keyPath, 'turn.username');
  });

  it('wants credentials with URIs and URIs with credentials', () => {
    assert.match(turnError({ uris }).message, /turn\.uris: TURN servers need credentials/);
    assert.match(turnError({ shared_secret: 's' }).message, /turn\.uris: TURN credentials are set but no turn\.uris/);
  });

  it('accepts only turn: and turns: URIs', () => {
    const e = turnError({ uris: [...uris, 'stun:stun.a.org'], shared_secret: 's' });
    assert.equal(e.keyPath, 'turn.uris.1');
    assert.match(e.message, /"stun:stun\.a\.org" is not a TURN URI/);
  });

  it('wants a lifetime of at least a second', () => {
    assert.match(turnError({ user_lifetime_ms: 999 }).message, /turn\.user_lifetime_ms: must be >= 1000/);
  });
});

describe('well_known.support config', () => {
  const supportError = (support: Record<string, unknown>) =>
    configError(() => configFromObject({ server_name: 'a.org', well_known: { support } }));

  it('is absent by default and kept as written when valid', () => {
    assert.equal(configFromObject({ server_name: 'a.org' }).well_known.support, undefined);
    const support = {
      contacts: [
        { role: 'm.role.admin', matrix_id: '@admin:other.org' },
        { role: 'org.example.billing', email_address: 'bills@a.org' },
      ],
      support_page: 'https://a.org/help',
    };
    assert.deepEqual(configFromObject({ server_name: 'a.org', well_known: { support } }).well_known.support, support);
  });

  it('needs contacts or a support page', () => {
    assert.equal(supportError({}).keyPath, 'well_known.support');
    assert.equal(supportError({ contacts: [] }).keyPath, 'well_known.support');
  });

  it('needs a matrix_id or an email_address for each contact', () => {
    const e = supportError({ contacts: [{ role: 'm.role.admin', email_address: 'a@a.org' }, { role: 'm.role.security' }] });
    assert.equal(e.keyPath, 'well_known.support.contacts.1');
    assert.match(e.message, /needs matrix_id, email_address or both/);
  });

  it('checks roles, user IDs, email addresses and the page URL', () => {
    const contact = (c: Record<string, unknown>) => supportError({ contacts: [{ role: 'm.role.admin', ...c }] }).keyPath;
    assert.equal(contact({ role: 'm.role.owner', email_address: 'a@a.org' }), 'well_known.support.contacts.0.role', 'm. is reserved');
    assert.equal(contact({ role: 'Admin', email_address: 'a@a.org' }), 'well_known.support.contacts.0.role');
    assert.equal(contact({ matrix_id: 'admin:a.org' }), 'well_known.support.contacts.0.matrix_id');
    assert.equal(contact({ email_address: 'admin.a.org' }), 'well_known.support.contacts.0.email_address');
    assert.equal(supportError({ support_page: 'ftp://a.org/help' }).keyPath, 'well_known.support.support_page');
    assert.equal(supportError({ contacts: [{ email_address: 'a@a.org' }] }).keyPath, 'well_known.support.contacts.0.role');
  });
});

describe('generated config', () => {
  it('is valid, and loads with the given server name and database', () => {
    const text = generateConfig({ server_name: 'chat.example.org', 'database.connection_string': 'postgres://u@db/axon' });
    const cfg = loadConfigFile(writeConfig(text));
    assert.equal(cfg.server_name, 'chat.example.org');
    assert.equal(cfg.database.connection_string, 'postgres://u@db/axon');
  });

  it('mentions every key of the schema, optional ones commented out', () => {
    const text = generateConfig({ server_name: 'x.org' });
    // Keep commented-out keys (`# key: value`, `# - item`, nested values), drop descriptions.
    const uncommented = text
      .split('\n')
      .filter((l) => !/^\s*# /.test(l) || /^\s*# ([a-z_]+:( |$)|- |\s)/.test(l))
      .map((l) => l.replace(/^(\s*)# /, '$1'))
      .join('\n');
    const missing: string[] = [];
    const walk = (node: { properties?: Record<string, unknown> }, path: string, value: unknown) => {
      for (const [k, child] of Object.entries(node.properties ?? {})) {
        const v = (value as Record<string, unknown> | undefined)?.[k];
        if (v === undefined) missing.push(path + k);
        else walk(child as { properties?: Record<string, unknown> }, `${path}${k}.`, v);
      }
    };
    walk(ConfigSchema as never, '', parseYaml(uncommented.replace(/: \{\}$/gm, ':')));
    assert.deepEqual(missing, []);
  });
});
