/**
 * A Python virtualenv holding a pinned matrix-synapse from PyPI, made once and cached across
 * runs (and across checkouts) under `${XDG_CACHE_HOME:-~/.cache}/axon-test/synapse-venv/<version>`.
 *
 * Installing takes a minute or two and downloads from PyPI, so it happens at most once per
 * version: a marker file written after a successful `pip install` says the venv is complete, and
 * a lock file (created exclusively, holding the installer's pid) keeps two test processes from
 * installing into the same directory at once. A lock left by a dead process is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.js';

/**
 * The matrix-synapse release the interop suite runs against. It installs from wheels only on
 * CPython 3.11 (checked with `pip install --only-binary :all:`), so no Rust toolchain is needed.
 */
export const SYNAPSE_VERSION = '1.163.2';

/** The marker written once `pip install` succeeded; its absence means "install (again)". */
const MARKER = '.axon-installed';
/** How long one install may take before the waiting side gives up. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** The venv directory for {@link SYNAPSE_VERSION}. */
export function synapseVenvDir(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'axon-test', 'synapse-venv', SYNAPSE_VERSION);
}

function venvPython(dir: string): string {
  return join(dir, 'bin', 'python');
}

/**
 * Why Synapse cannot be installed here (no python3, or no venv/pip for it), or `undefined`.
 * A complete cached venv is always usable, whatever the system Python has become since.
 */
export function synapseUnavailableReason(): string | undefined {
  if (existsSync(join(synapseVenvDir(), MARKER))) return undefined;
  const python = findBinary('python3');
  if (!python) return 'python3 is not installed';
  // The venv module without ensurepip (Debian without python3-venv) makes a venv with no pip.
  const probe = spawnSync(python, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' });
  if (probe.status !== 0) return 'python3 has no venv/ensurepip module (install python3-venv), so pip cannot install Synapse';
  return undefined;
}

/**
 * The venv's python with matrix-synapse {@link SYNAPSE_VERSION} installed, installing it first
 * when no complete venv is cached (waiting for another process's install when one is running).
 */
export async function ensureSynapseVenv(): Promise<string> {
  const dir = synapseVenvDir();
  if (existsSync(join(dir, MARKER))) return venvPython(dir);
  mkdirSync(join(dir, '..'), { recursive: true });
  const lock = `${dir}.lock`;
  await acquireLock(lock);
  try {
    // Another process may have finished the install while this one waited for the lock.
    if (!existsSync(join(dir, MARKER))) await install(dir);
    return venvPython(dir);
  } finally {
    rmSync(lock, { force: true });
  }
}

async function install(dir: string): Promise<void> {
  const python = findBinary('python3');
  if (!python) throw new Error('python3 is not installed');
  // A directory without the marker is a failed or interrupted install: start from nothing.
  rmSync(dir, { recursive: true, force: true });
  const log = `${dir}.install.log`;
  await run(python, ['-m', 'venv', dir], log);
  await run(venvPython(dir), ['-m', 'pip', 'install', '--disable-pip-version-check', '--only-binary', ':all:', `matrix-synapse==${SYNAPSE_VERSION}`], log);
  writeFileSync(join(dir, MARKER), `${new Date().toISOString()}\n`);
}

function run(cmd: string, args: readonly string[], logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = openSync(logFile, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', out, out] });
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    child.once('error', (e) => (clearTimeout(timer), closeSync(out), reject(e)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      closeSync(out);
      if (code === 0) return resolve();
      const tail = readFileSync(logFile, 'utf8').slice(-3000);
      reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}); end of ${logFile}:\n${tail}`));
    });
  });
}

/** Creates `lock` exclusively, waiting while a live process holds it and taking it from a dead one. */
async function acquireLock(lock: string): Promise<void> {
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!holderAlive(lock)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (another Synapse install)`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function holderAlive(lock: string): boolean {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8').trim();
  } catch {
    return true; // removed in between: the next attempt to create it will tell
  }
  const pid = Number(text);
  // Empty: just created, its pid not written yet, unless its maker died in that instant.
  if (text === '' || !Number.isInteger(pid) || pid <= 0) return Date.now() - mtimeMs(lock) < 10_000;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
