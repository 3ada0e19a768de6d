/**
 * A real Synapse (pinned, from PyPI, see synapse-venv.ts) for interop tests, configured the way
 * the federated pair configures Axon: server name `127.0.0.x:<port>` (an IP literal with a port,
 * so discovery connects directly), one TLS listener on that address serving the client,
 * federation and key APIs with a certificate for the IP from the test CA, outbound federation
 * verifying certificates against that CA only, loopback allowed, SQLite in a temp dir, rate
 * limits out of the way, and shared-secret registration for making users.
 *
 * The config is written as JSON, which YAML parsers read as it is. Synapse's log goes to a file in
 * the temp dir; a failed start throws with its tail, and {@link SynapseServer.logTail} gives it to
 * a test that wants to show why a federation exchange went wrong.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { registrationMac } from '../../src/clientapi/auth/shared-secret-mac.js';
import { loadOrCreateSigningKey } from '../../src/setup/load-signing-key.js';
import type { CallOptions, Res, TestUser } from '../clientapi/client-test-server.js';
import { freePort } from './free-port.js';
import { stopChild } from './postgres-server.js';
import type { TestCa } from './start-federated-pair-pki.js';
import { ensureSynapseVenv, synapseUnavailableReason } from './synapse-venv.js';
import { synapseConfig } from './synapse-config.js';

export { synapseUnavailableReason };

/** The shared secret of the test Synapse's `/_synapse/admin/v1/register`. */
export const SYNAPSE_SHARED_SECRET = 'synapse-test-shared-secret-0123456789';

/** A running Synapse. */
export interface SynapseServer {
  /** `127.0.0.x:<port>`: its server name and the address of its one listener. */
  readonly serverName: string;
  /** `https://127.0.0.x:<port>`: client, federation and key APIs. */
  readonly url: string;
  /** `method path` against its listener over HTTPS trusting the test CA. */
  call(method: string, path: string, opts?: CallOptions): Promise<Res>;
  /** Registers a user through shared-secret registration, returning a logged-in device. */
  register(localpart: string, opts?: { password?: string; admin?: boolean }): Promise<TestUser>;
  /** The last `chars` characters of Synapse's log. */
  logTail(chars?: number): string;
  /** SIGTERM (SIGKILL after 10 s), then deletes its directory. */
  stop(): Promise<void>;
}

/** What {@link startSynapse} needs. */
export interface SynapseOptions {
  /** The test CA: issues Synapse's certificate and is the only CA its federation client trusts. */
  readonly ca: TestCa;
  /** The loopback address it listens on (default 127.0.0.3). */
  readonly ip?: string;
  /** Merged into the generated config (top-level keys replace). */
  readonly config?: Record<string, unknown>;
}

/** Attempts at a start when the picked port was taken in between. */
const PORT_ATTEMPTS = 3;
/** Synapse starts in a few seconds; a loaded 2-core machine may need many more. */
const START_TIMEOUT_MS = 90_000;

/** Installs Synapse if needed (minutes, once), then starts one and waits until it answers. */
export async function startSynapse(opts: SynapseOptions): Promise<SynapseServer> {
  const unavailable = synapseUnavailableReason();
  if (unavailable) throw new Error(`Synapse cannot run here: ${unavailable}`);
  const python = await ensureSynapseVenv();
  const ip = opts.ip ?? '127.0.0.3';
  const dir = mkdtempSync(join(tmpdir(), 'axon-synapse-'));
  const dispatcher = new Agent({ connect: { ca: readFileSync(opts.ca.caFile, 'utf8') } });
  try {
    const cert = opts.ca.issue(`synapse-${ip}`, [], [ip]);
    // Synapse's key file format is the one Axon reads and writes.
    loadOrCreateSigningKey(join(dir, 'signing.key'));
    for (let attempt = 1; ; attempt++) {
      const port = await freePort(ip);
      const serverName = `${ip}:${port}`;
      const config = synapseConfig({ dir, ip, port, serverName, cert, caFile: opts.ca.caFile, sharedSecret: SYNAPSE_SHARED_SECRET });
      writeFileSync(join(dir, 'homeserver.yaml'), JSON.stringify({ ...config, ...opts.config }, null, 2));
      const child = spawnSynapse(python, dir);
      const call = caller(`https://${serverName}`, dispatcher);
      try {
        await waitReady(call, child, dir);
      } catch (e) {
        await stopChild(child, 'SIGKILL');
        if (attempt < PORT_ATTEMPTS && logTail(dir).includes('Address already in use')) {
          // The database remembers the server name, which changes with the port.
          for (const f of ['homeserver.db', 'homeserver.db-wal', 'homeserver.db-shm']) rmSync(join(dir, f), { force: true });
          continue;
        }
        throw e;
      }
      return running({ serverName, child, dir, call, dispatcher });
    }
  } catch (e) {
    await dispatcher.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Run before Synapse in the same process: asks Linux to SIGKILL it when the test process dies
 * (PR_SET_PDEATHSIG survives exec), so a test run killed by a signal leaves no Synapse behind;
 * then execs the interpreter on the remaining arguments. Elsewhere the prctl fails harmlessly.
 */
const DIE_WITH_PARENT = [
  'import ctypes, os, signal, sys',
  'try: ctypes.CDLL(None).prctl(1, signal.SIGKILL)',
  'except Exception: pass',
  "if os.getppid() != int(os.environ['AXON_TEST_PARENT_PID']): sys.exit('the test process is gone')",
  'os.execv(sys.executable, [sys.executable] + sys.argv[1:])',
].join('\n');

function spawnSynapse(python: string, dir: string): ChildProcess {
  // Output before logging is set up (config errors, tracebacks) goes to stderr: keep it too.
  const out = openSync(join(dir, 'stdio.log'), 'w');
  const child = spawn(python, ['-c', DIE_WITH_PARENT, '-m', 'synapse.app.homeserver', '-c', join(dir, 'homeserver.yaml')], {
    cwd: dir,
    stdio: ['ignore', out, out],
    env: { ...process.env, PYTHONUNBUFFERED: '1', AXON_TEST_PARENT_PID: String(process.pid) },
  });
  closeSync(out);
  return child;
}

type Call = (method: string, path: string, opts?: CallOptions) => Promise<Res>;

function caller(url: string, dispatcher: Agent): Call {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(url + path, {
      method: method as 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      dispatcher,
    });
    const text = await res.body.text();
    const responseHeaders = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') responseHeaders.set(k, v);
    return { status: res.statusCode, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: responseHeaders };
  };
}

function logTail(dir: string, chars = 6000): string {
  const read = (f: string): string => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      return '';
    }
  };
  return `${read('stdio.log').slice(-chars)}\n--- homeserver.log ---\n${read('homeserver.log').slice(-chars)}`;
}

async function waitReady(call: Call, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`synapse exited (${child.exitCode ?? child.signalCode}) during start:\n${logTail(dir)}`);
    }
    try {
      const res = await call('GET', '/_matrix/client/versions');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`synapse did not answer within ${START_TIMEOUT_MS / 1000} s:\n${logTail(dir)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Started {
  readonly serverName: string;
  readonly child: ChildProcess;
  readonly dir: string;
  readonly call: Call;
  readonly dispatcher: Agent;
}

function running(s: Started): SynapseServer {
  const killAtExit = (): void => void s.child.kill('SIGKILL');
  process.once('exit', killAtExit);
  const register = async (localpart: string, opts: { password?: string; admin?: boolean } = {}): Promise<TestUser> => {
    const password = opts.password ?? `pw-${localpart}`;
    const admin = opts.admin === true;
    const { body: n } = await s.call('GET', '/_synapse/admin/v1/register');
    const nonce = String(n.nonce);
    const mac = registrationMac(SYNAPSE_SHARED_SECRET, { nonce, username: localpart, password, admin });
    const res = await s.call('POST', '/_synapse/admin/v1/register', { body: { nonce, username: localpart, password, admin, mac } });
    if (res.status !== 200) throw new Error(`registering ${localpart} on synapse failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { userId: String(res.body.user_id), password, accessToken: String(res.body.access_token), deviceId: String(res.body.device_id) };
  };
  return {
    serverName: s.serverName,
    url: `https://${s.serverName}`,
    call: s.call,
    register,
    logTail: (chars) => logTail(s.dir, chars),
    async stop() {
      process.off('exit', killAtExit);
      try {
        await stopChild(s.child, 'SIGTERM');
        await s.dispatcher.close();
      } finally {
        rmSync(s.dir, { recursive: true, force: true });
      }
    },
  };
}
