import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateConfig } from '../../src/internal/config/generate-config.js';
import { loadConfigFile } from '../../src/internal/config/load-config.js';
import { ensureDefaultConfig } from '../../src/setup/ensure-default-config.js';
import { runAxon, startAxon } from '../harness/spawn-axon.js';

function tempConfig(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'axon-proc-'));
  const path = join(dir, 'axon.yaml');
  const text = generateConfig({ server_name: 'test.local', 'listen.client.port': 0, 'listen.internal.port': 0, 'logging.level': 'info' });
  writeFileSync(path, text + extra);
  return path;
}

describe('the axon process', () => {
  it('starts from a config, serves /versions, creates its key and database, and stops cleanly on SIGTERM', async () => {
    const cfg = tempConfig();
    const axon = await startAxon(['--config', cfg]);
    try {
      const res = await fetch(`${axon.clientUrl}/_matrix/client/versions`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as { versions: string[] };
      assert.ok(body.versions.includes('v1.1'));
      const dir = join(cfg, '..');
      assert.match(readFileSync(join(dir, 'signing.key'), 'utf8'), /^ed25519 a_\w+ [A-Za-z0-9+/]{43}\n$/);
      assert.equal(statSync(join(dir, 'signing.key')).mode & 0o077, 0, 'the key is readable by its owner only');
      assert.ok(existsSync(join(dir, 'axon.db')), 'the SQLite database is created next to the config');
      const health = await fetch(`${axon.internalUrl}/health`);
      assert.equal(await health.text(), 'OK');
    } finally {
      assert.equal(await axon.stop('SIGTERM'), 0);
    }
  });

  it('reuses its key on a second start', async () => {
    const cfg = tempConfig();
    const first = await startAxon(['--config', cfg]);
    await first.stop();
    const key = readFileSync(join(cfg, '..', 'signing.key'), 'utf8');
    const second = await startAxon(['--config', cfg]);
    await second.stop();
    assert.equal(readFileSync(join(cfg, '..', 'signing.key'), 'utf8'), key);
  });

  it('stops with a message naming the bad key', async () => {
    const r = await runAxon(['--config', tempConfig('\nfederaton:\n  enabled: false\n')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /federaton: unknown key/);
    const missing = await runAxon(['--config', '/nonexistent/axon.yaml']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /config file not found: \/nonexistent\/axon\.yaml/);
  });

  it('generate-config prints a valid config with the given server name and database', async () => {
    const r = await runAxon(['generate-config', '--server-name', 'chat.example.org', '--database', 'postgres://axon@db/axon']);
    assert.equal(r.code, 0);
    const path = join(mkdtempSync(join(tmpdir(), 'axon-gen-')), 'axon.yaml');
    writeFileSync(path, r.stdout);
    const cfg = loadConfigFile(path);
    assert.equal(cfg.server_name, 'chat.example.org');
    assert.equal(cfg.database.connection_string, 'postgres://axon@db/axon');
  });

  it('generate-keys writes a Synapse-format key and refuses to overwrite one', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'axon-key-')), 'k.key');
    assert.equal((await runAxon(['generate-keys', '--out', out])).code, 0);
    assert.match(readFileSync(out, 'utf8'), /^ed25519 a_\w+ [A-Za-z0-9+/]{43}\n$/);
    const again = await runAxon(['generate-keys', '--out', out]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /EEXIST/);
  });

  it('rejects unknown options and components with usage', async () => {
    const r = await runAxon(['--confg', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option --confg/);
    const c = await runAxon(['--components', 'roomserver,chatapi']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /unknown component "chatapi"/);
  });

  it('writes a default config on first run and never overwrites it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'axon-first-')), 'data', 'axon.yaml');
    assert.equal(ensureDefaultConfig(path), true);
    const cfg = loadConfigFile(path);
    assert.equal(cfg.server_name, 'localhost:8008');
    assert.equal(cfg.listen.client.port, 8008);
    assert.equal(cfg.database.connection_string, `sqlite:${join(path, '..', 'axon.db')}`);
    assert.equal(cfg.bus.kind, 'embedded');
    writeFileSync(path, 'server_name: changed.org\n');
    assert.equal(ensureDefaultConfig(path), false);
    assert.equal(readFileSync(path, 'utf8'), 'server_name: changed.org\n');
  });
});
