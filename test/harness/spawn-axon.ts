/**
 * Runs the real `axon` binary (from source through tsx, or compiled) as a child process and waits
 * until it logs that it is listening, returning its URLs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(REPO_ROOT, 'node_modules/tsx/dist/esm/index.mjs');
const AXON = join(REPO_ROOT, 'src/cmd/axon.ts');
/** Extra Node flags for the child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` to profile a benchmark's server. */
const NODE_FLAGS = (process.env.AXON_CHILD_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');

export interface AxonProcess {
  readonly child: ChildProcess;
  readonly clientUrl: string;
  readonly internalUrl: string;
  /** Everything it printed so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `axon <args>` to completion and returns its exit code and output. */
export function runAxon(args: readonly string[], cwd = REPO_ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, AXON, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `axon <args>` and waits for its "listening" log line. From source through tsx, or with
 * `built`, compiled as `npm start` runs it (`dist/`, built first when stale): benchmarks measure
 * that, without the loader's thread and transform caches.
 */
export function startAxon(args: readonly string[], cwd = REPO_ROOT, timeoutMs = 30_000, built = false): Promise<AxonProcess> {
  if (built) {
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build-if-needed.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (build.status !== 0) return Promise.reject(new Error('axon: building dist/ failed'));
  }
  const entry = built ? [...startScriptNodeFlags(), join(REPO_ROOT, 'dist/cmd/axon.js')] : ['--import', TSX, AXON];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...entry, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`axon did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('"msg":"listening"')) continue;
        const rec = JSON.parse(line) as { client: string; internal: string };
        clearTimeout(timer);
        resolve({
          child,
          clientUrl: rec.client,
          internalUrl: rec.internal,
          output: () => out,
          stop: (signal = 'SIGTERM') =>
            new Promise((res) => {
              if (child.exitCode !== null) return res(child.exitCode);
              child.once('exit', (code) => res(code));
              child.kill(signal);
            }),
        });
        return;
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`axon exited with ${code} before listening:\n${out}`));
    });
  });
}

/** The Node flags of `npm start` (package.json's `start` script), so a built server runs as users run it. */
function startScriptNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((w) => w.startsWith('--'));
}
