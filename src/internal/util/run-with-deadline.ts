/**
 * Runs `work` with an abort signal that fires after `timeoutMs`; whatever `work` then fails
 * with is replaced by `timedOut(cause)`, so callers report "no answer in time" and not the abort
 * error that the deadline itself caused.
 */
export async function runWithDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>, timedOut: (cause: unknown) => Error): Promise<T> {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await work(controller.signal);
  } catch (e) {
    if (expired) throw timedOut(e);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
