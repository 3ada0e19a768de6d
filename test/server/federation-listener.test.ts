/**
 * With `listen.federation` set, federation and key routes move to their own HTTPS listener while
 * the client listener keeps the client API.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { configFromObject } from '../../src/internal/config/load-config.js';
import { startServer } from '../../src/setup/start-server.js';

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the federation listener', () => {
  it('serves HTTPS with the configured certificate and keeps client routes on the client listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-tls-'));
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-days', '1', '-subj', '/CN=fed.test', '-keyout', key, '-out', cert], {
      stdio: 'ignore',
    });
    const config = configFromObject(
      {
        server_name: 'fed.test',
        signing_key_path: join(dir, 'signing.key'),
        database: { connection_string: `sqlite:${join(dir, 'axon.db')}` },
        listen: {
          client: { port: 0 },
          internal: { port: 0 },
          federation: { host: '127.0.0.1', port: 0, tls_cert: cert, tls_key: key },
        },
      },
      join(dir, 'axon.yaml'),
    );
    const server = await startServer(config, { logger: pino({ level: 'silent' }) });
    try {
      assert.match(server.urls.federation ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await httpsGet(`${server.urls.federation}/health`);
      assert.deepEqual(health, { status: 200, body: 'OK' });
      const clientOnFed = await httpsGet(`${server.urls.federation}/_matrix/client/versions`);
      assert.equal(clientOnFed.status, 404, 'client routes are not on the federation listener');
      const versions = await fetch(`${server.urls.client}/_matrix/client/versions`);
      assert.equal(versions.status, 200);
    } finally {
      await server.stop();
    }
  });
});
