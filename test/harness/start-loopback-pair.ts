/**
 * Two servers A and B on loopback addresses 127.0.0.1 and 127.0.0.2 (Linux routes all of 127/8
 * to loopback), started one after the other, with one `stop` for both: the shared skeleton of
 * the federated test pair and the federation bench pair.
 */

/** The running pair. */
export interface LoopbackPair<T> {
  readonly a: T;
  readonly b: T;
  /** Stops both and releases what `release` releases. */
  stop(): Promise<void>;
}

/**
 * Starts A then B (in sequence: starts may share work that must not race). When B fails, A is
 * stopped again; `release` runs after the servers stopped, in every case.
 */
export async function startLoopbackPair<T>(
  start: (label: 'a' | 'b', ip: string) => Promise<T>,
  stopOne: (server: T) => Promise<void>,
  release: () => void,
): Promise<LoopbackPair<T>> {
  const started: T[] = [];
  const stop = async (): Promise<void> => {
    try {
      await Promise.all(started.map(stopOne));
    } finally {
      release();
    }
  };
  try {
    for (const [label, ip] of [['a', '127.0.0.1'], ['b', '127.0.0.2']] as const) started.push(await start(label, ip));
    const [a, b] = started;
    if (!a || !b) throw new Error('the pair did not start');
    return { a, b, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
