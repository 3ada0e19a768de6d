import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateConfig } from '../internal/config/generate-config.js';
import { MatrixError } from '../internal/errors/matrix-error.js';
import { openDatabase } from '../internal/sqlutil/open-database.js';
import { createUserInternalAPI } from '../userapi/internal/index.js';
import { openUserStorage } from '../userapi/storage/index.js';
import { createAccount } from './create-account.js';
import { parseArgs, UsageError } from './parse-args.js';

describe('axon create-account', () => {
  const dir = mkdtempSync(join(tmpdir(), 'axon-create-account-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'axon.yaml');
  writeFileSync(configPath, generateConfig({ server_name: 'example.test', 'database.connection_string': 'sqlite:users.db' }));
  const passwordFile = join(dir, 'pw');
  writeFileSync(passwordFile, 's3cret pass\n');

  it('parses its flags', () => {
    assert.deepEqual(parseArgs(['create-account', '--user', 'root', '--admin', '--password-file', 'f']), {
      command: 'create-account',
      options: { user: 'root', admin: true, 'password-file': 'f' },
    });
    assert.throws(() => parseArgs(['create-account', '--admin', 'yes']), UsageError);
  });

  it('creates an admin in the configured database, with the password from the file', async () => {
    assert.equal(await createAccount({ configPath, user: 'root', admin: true, passwordFile }), '@root:example.test');
    assert.equal(await createAccount({ configPath, user: '@plain:example.test', admin: false, passwordFile }), '@plain:example.test');
    const database = await openDatabase(`sqlite:${join(dir, 'users.db')}`);
    try {
      const api = createUserInternalAPI({ storage: await openUserStorage(database), serverName: 'example.test' });
      assert.equal((await api.queryAccount({ userId: '@root:example.test' })).account?.isAdmin, true);
      assert.equal((await api.queryAccount({ userId: '@plain:example.test' })).account?.isAdmin, false);
      assert.deepEqual(await api.queryPasswordCheck({ userId: '@root:example.test', password: 's3cret pass' }), { ok: true });
    } finally {
      await database.close();
    }
  });

  it('refuses taken names, other servers’ IDs and empty passwords', async () => {
    await assert.rejects(createAccount({ configPath, user: 'root', admin: false, passwordFile }), (e: unknown) => {
      return e instanceof MatrixError && e.errcode === 'M_USER_IN_USE';
    });
    await assert.rejects(createAccount({ configPath, user: '@root:elsewhere', admin: false, passwordFile }), UsageError);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    await assert.rejects(createAccount({ configPath, user: 'nopass', admin: false, passwordFile: empty }), /must not be empty/);
    await assert.rejects(createAccount({ configPath, user: 'nofile', admin: false, passwordFile: join(dir, 'missing') }), UsageError);
  });
});
