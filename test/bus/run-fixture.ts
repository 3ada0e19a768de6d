/** Runs a script of `test/bus/fixtures/` in a child process (Node through tsx), as a real process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/spawn-axon.js';

const FIXTURES = join(REPO_ROOT, 'test/bus/fixtures');

/** A running fixture, with everything it printed so far. */
export interface Fixture {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once it printed `line` (rejects if it exits first). */
  printed(line: string, timeoutMs?: number): Promise<void>;
}

export function runFixture(script: string, args: readonly string[]): Fixture {
  const child = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // A test that fails half-way must not leave its child running.
  const killAtExit = () => child.kill('SIGKILL');
  process.once('exit', killAtExit);
  void exited.then(() => process.off('exit', killAtExit));
  return {
    child,
    output: () => out,
    exited,
    printed(line, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${script} did not print "${line}" within ${timeoutMs} ms:\n${out}`)), timeoutMs);
        const check = () => out.split('\n').includes(line) && finish();
        const finish = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        listeners.add(check);
        void exited.then(() => finish(new Error(`${script} exited before printing "${line}":\n${out}`)));
        check();
      });
    },
  };
}
