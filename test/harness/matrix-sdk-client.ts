/**
 * matrix-js-sdk clients for end-to-end suites. The SDK logs every request and every UIA step at
 * debug level, which buries the test report; these clients log only errors unless
 * `AXON_SDK_LOG=debug` asks for everything (handy when a suite fails).
 */
import './matrix-sdk-polyfills.js';
import { createClient, type ICreateClientOpts, type MatrixClient } from 'matrix-js-sdk';
import { logger as sdkGlobalLogger, type Logger } from 'matrix-js-sdk/lib/logger.js';

const verbose = process.env.AXON_SDK_LOG === 'debug';

/** A logger for the SDK: errors to stderr, the rest only when verbose. */
export function testSdkLogger(prefix = 'sdk'): Logger {
  const out = (...msg: unknown[]) => console.error(`[${prefix}]`, ...msg);
  const quiet = () => {};
  return {
    trace: verbose ? out : quiet,
    debug: verbose ? out : quiet,
    info: verbose ? out : quiet,
    warn: verbose ? out : quiet,
    error: out,
    getChild: (name: string) => testSdkLogger(`${prefix}${name}`),
  };
}

// Some SDK modules (interactive auth, retries) log through the global `loglevel` logger rather
// than the client's; it exists at run time with `setLevel` although its type hides it.
(sdkGlobalLogger as unknown as { setLevel(level: string, persist?: boolean): void }).setLevel(verbose ? 'debug' : 'error', false);

/** A client for `baseUrl` (no sync loop: call `startClient()` only where the suite needs `/sync`). */
export function createSdkClient(baseUrl: string, opts: Omit<ICreateClientOpts, 'baseUrl'> = {}): MatrixClient {
  return createClient({ baseUrl, logger: testSdkLogger(), ...opts });
}
