/**
 * The EDUs of a transaction. None can fail the transaction: a malformed or unbelievable EDU is
 * logged and skipped. Typing, receipts and to-device messages go on the bus, presence through
 * the userapi; device list and signing key updates go to the remote device-list tracker
 * (`device-list-edu.ts`); unknown types are ignored.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';
import { createEduChecks } from './edu-checks.js';
import { handlePresenceEdu } from './presence-edu.js';
import { handleReceiptEdu } from './receipt-edu.js';
import { handleTypingEdu } from './typing-edu.js';
import { handleToDeviceEdu } from './to-device-edu.js';
import { DEVICE_LIST_EDU_TYPES, handleDeviceListEdu } from './device-list-edu.js';

/** Handles `edus` sent by `origin`, one after the other (their order matters for typing). */
export async function processEdus(deps: SendTransactionDeps, origin: string, edus: readonly JsonObject[]): Promise<void> {
  if (edus.length === 0) return;
  const checks = createEduChecks(deps.sendRoomserverApi, origin);
  const log = deps.logger;
  for (const edu of edus) {
    const type = edu.edu_type;
    try {
      if (type === 'm.typing') {
        const ignored = await handleTypingEdu(deps, checks, edu.content);
        if (ignored !== undefined) log?.debug({ origin, reason: ignored }, 'federation /send: ignored a typing EDU');
      } else if (type === 'm.receipt') {
        const { dropped } = await handleReceiptEdu(deps, checks, edu.content);
        if (dropped.length > 0) log?.debug({ origin, dropped }, 'federation /send: dropped receipts');
      } else if (type === 'm.presence') {
        const dropped = await handlePresenceEdu(deps, origin, edu.content);
        if (dropped.length > 0) log?.debug({ origin, dropped }, 'federation /send: dropped presence updates');
      } else if (type === 'm.direct_to_device') {
        const r = await handleToDeviceEdu(deps, origin, edu.content);
        if (r.ignored !== undefined || r.dropped.length > 0) log?.debug({ origin, reason: r.ignored, dropped: r.dropped }, 'federation /send: to-device messages ignored or dropped');
      } else if (DEVICE_LIST_EDU_TYPES.has(type)) {
        const ignored = handleDeviceListEdu(deps, origin, type as string, edu.content);
        if (ignored !== undefined) log?.debug({ origin, eduType: type, reason: ignored }, 'federation /send: ignored a device list EDU');
      } else {
        log?.debug({ origin, eduType: type }, 'federation /send: EDU type not handled yet');
      }
    } catch (e) {
      log?.warn({ origin, eduType: type, err: (e as Error).message }, 'federation /send: an EDU failed');
    }
  }
}
