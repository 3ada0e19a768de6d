/**
 * The NATS bus's current problems by source (the connection, each subscription), for
 * `Bus.problems()`: a source reports a problem while it lasts and clears it when it is over.
 */
export interface BusHealth {
  /** Sets (a string) or clears (undefined) the problem of `source`. */
  set(source: string, problem: string | undefined): void;
  /** The current problems, for `Bus.problems()`. */
  list(): string[];
}

export function createBusHealth(): BusHealth {
  const problems = new Map<string, string>();
  return {
    set(source, problem) {
      if (problem === undefined) problems.delete(source);
      else problems.set(source, problem);
    },
    list: () => [...problems.values()],
  };
}
