/**
 * Runs a bus conformance suite on every backend in `BUS_BACKENDS`. A backend whose service is
 * missing is skipped with a printed reason, unless services are required (then it fails).
 */
import { after, describe } from 'node:test';
import { servicesRequired, skipReason } from '../harness/services-required.js';
import { BUS_BACKENDS, type BusBackend, type BusNamespace } from './bus-backends.js';

export interface BusSuiteContext {
  readonly backend: BusBackend;
  /**
   * The suite's namespace, created on first use and cleaned up after the suite. Its tests share
   * it (creating a PostgreSQL database takes ~0.4 s), so each test uses its own topics.
   */
  namespace(): Promise<BusNamespace>;
}

export function describeEachBus(name: string, body: (ctx: BusSuiteContext) => void): void {
  for (const backend of BUS_BACKENDS) {
    const why = backend.unavailable();
    const skip = why !== undefined && !servicesRequired() ? skipReason(backend.service ?? backend.name, why) : false;
    describe(`${name} [${backend.name}]`, { skip }, () => {
      let shared: Promise<BusNamespace> | undefined;
      after(async () => {
        if (shared) await (await shared).cleanup();
      });
      body({ backend, namespace: () => (shared ??= backend.namespace()) });
    });
  }
}
