/**
 * `m.device_list_update` and `m.signing_key_update` from another server (spec server-server
 * "Device Management", "Cross-signing"): handed to the remote device-list tracker
 * (`internal/remote-device-lists.ts`), which checks that the user belongs to the sending server
 * and applies, or resyncs after a gap. The tracker runs in the background: a resync asks the
 * origin for `/user/devices`, which must not hold up our answer to its `/send`. One user's
 * updates still apply in order (the tracker queues them per user).
 */
import type { JsonValue } from '../../matrix/json.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';

/** The EDU types handled here. */
export const DEVICE_LIST_EDU_TYPES: ReadonlySet<unknown> = new Set(['m.device_list_update', 'm.signing_key_update']);

/**
 * Starts applying one EDU; resolves at once (the work goes on in the background). Why it was
 * ignored when the deployment keeps no device lists.
 */
export function handleDeviceListEdu(deps: SendTransactionDeps, origin: string, type: string, content: JsonValue | undefined): string | undefined {
  const lists = deps.deviceLists;
  if (!lists) return 'device lists are not kept by this deployment';
  const work = type === 'm.device_list_update' ? lists.applyDeviceListUpdate(origin, content) : lists.applySigningKeyUpdate(origin, content);
  work.then(
    (ignored) => {
      if (ignored !== undefined) deps.logger?.debug({ origin, eduType: type, reason: ignored }, 'federation /send: ignored a device list EDU');
    },
    (e: unknown) => deps.logger?.warn({ origin, eduType: type, err: (e as Error).message }, 'federation /send: a device list EDU failed'),
  );
  return undefined;
}
