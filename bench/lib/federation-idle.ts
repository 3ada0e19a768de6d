/**
 * Waiting until a server process has finished its background work. A request's answer does not
 * mean the server is done: its bus consumers (sync, federation sender, user directory) go on
 * processing what the request produced. A phase measured while the previous phase's backlog is
 * still being worked off would be charged for it, so the federation bench waits for quiet first.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The process's user + system CPU time in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is parenthesised and may contain spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Clock ticks per second on Linux (`getconf CLK_TCK`), 100 everywhere Node runs. */
const TICKS_PER_S = 100;

/**
 * Resolves once `pid` used under `maxBusy` (fraction of one core) in `quietPeriods` consecutive
 * periods of `periodMs`, or after `timeoutMs` (then returns false); returns the wait in ms.
 */
export async function waitForIdle(
  pid: number,
  opts: { periodMs?: number; quietPeriods?: number; maxBusy?: number; timeoutMs?: number } = {},
): Promise<{ idle: boolean; waitedMs: number }> {
  const periodMs = opts.periodMs ?? 250;
  const quietPeriods = opts.quietPeriods ?? 3;
  const maxBusy = opts.maxBusy ?? 0.05;
  const start = Date.now();
  let quiet = 0;
  let last = cpuTicks(pid);
  while (Date.now() - start < (opts.timeoutMs ?? 180_000)) {
    await sleep(periodMs);
    const now = cpuTicks(pid);
    const busy = (now - last) / TICKS_PER_S / (periodMs / 1000);
    last = now;
    quiet = busy <= maxBusy ? quiet + 1 : 0;
    if (quiet >= quietPeriods) return { idle: true, waitedMs: Date.now() - start };
  }
  return { idle: false, waitedMs: Date.now() - start };
}
