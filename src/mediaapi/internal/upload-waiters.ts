/**
 * Downloads of a media created with `/create` but not yet uploaded wait for the upload. The PUT
 * in this process wakes them at once; a polling fallback covers uploads that reach another
 * instance of the mediaapi (scaled out), which this process cannot hear.
 */

export interface UploadWaiters {
  /** Resolves when `notify(key)` is called, or after `ms` (whichever is first). */
  wait(key: string, ms: number): Promise<void>;
  /** Wakes every waiter of `key`. */
  notify(key: string): void;
  /** Wakes everyone (shutdown). */
  wakeAll(): void;
}

export function createUploadWaiters(): UploadWaiters {
  const waiting = new Map<string, Set<() => void>>();
  return {
    wait(key, ms) {
      return new Promise<void>((resolve) => {
        let set = waiting.get(key);
        if (!set) waiting.set(key, (set = new Set()));
        const s = set;
        const done = () => {
          clearTimeout(timer);
          s.delete(done);
          if (s.size === 0 && waiting.get(key) === s) waiting.delete(key);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms));
        s.add(done);
      });
    },
    notify(key) {
      for (const done of [...(waiting.get(key) ?? [])]) done();
    },
    wakeAll() {
      for (const key of [...waiting.keys()]) this.notify(key);
    },
  };
}

/** The waiter key of one media. */
export function mediaKey(origin: string, mediaId: string): string {
  return `${origin}/${mediaId}`;
}
