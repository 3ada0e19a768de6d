/**
 * Watches the other processes this one calls: each peer's internal `/health` is probed every few
 * seconds, and an unreachable peer makes this process report unhealthy (its calls fail with the
 * retriable RpcUnavailableError meanwhile) instead of crashing it.
 */
import type { Logger } from 'pino';

export interface PeerHealth {
  /** Starts watching a peer (idempotent). */
  watch(component: string, internalUrl: string): void;
  problems(): string[];
  stop(): void;
}

export function createPeerHealth(logger: Logger, intervalMs = 5000, timeoutMs = 2000): PeerHealth {
  const peers = new Map<string, { url: string; problem: string | undefined }>();
  const probe = async (component: string) => {
    const peer = peers.get(component);
    if (!peer) return;
    let problem: string | undefined;
    try {
      // A peer that answers is reachable, whatever its status: its own problems are its to
      // report. Echoing them would let two processes that call each other (userapi ↔
      // roomserver) keep each other unhealthy for ever once either had a problem.
      const res = await fetch(new URL('/health', peer.url), { signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
    } catch (e) {
      problem = `peer ${component} at ${peer.url} is unreachable: ${(e as Error).message}`;
    }
    if (problem !== peer.problem) {
      if (problem) logger.warn({ component }, problem);
      else logger.info({ component }, `peer ${component} is reachable again`);
    }
    peer.problem = problem;
  };
  const timer = setInterval(() => {
    for (const c of peers.keys()) void probe(c);
  }, intervalMs);
  timer.unref();
  return {
    watch(component, internalUrl) {
      if (peers.has(component)) return;
      peers.set(component, { url: internalUrl, problem: undefined });
      void probe(component);
    },
    problems: () => [...peers.values()].flatMap((p) => (p.problem ? [p.problem] : [])),
    stop: () => clearInterval(timer),
  };
}
