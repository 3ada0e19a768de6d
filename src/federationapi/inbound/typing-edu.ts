/**
 * `m.typing` from another server: one of its users started or stopped typing in a room. Passed
 * on `OutputTypingEvent` (as our own users' typing is) once the user is checked. The EDU has no
 * timeout; like Synapse (`FEDERATION_TIMEOUT`) we let a remote "typing" last 30 s unless renewed.
 */
import { isJsonObject, type JsonValue } from '../../matrix/json.js';
import { publishTypingChange } from '../../clientapi/producers/output-typing-event.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';
import type { EduChecks } from './edu-checks.js';

/** How long a remote user counts as typing after their server says so. */
export const FEDERATION_TYPING_TIMEOUT_MS = 30_000;

/** Handles one `m.typing` EDU's content; why it was ignored, or undefined when published. */
export async function handleTypingEdu(deps: SendTransactionDeps, checks: EduChecks, content: JsonValue | undefined): Promise<string | undefined> {
  if (!isJsonObject(content)) return 'content is not an object';
  const { room_id: roomId, user_id: userId, typing } = content;
  if (typeof roomId !== 'string' || typeof userId !== 'string' || typeof typing !== 'boolean') return 'room_id, user_id or typing missing';
  const refusal = await checks.refusal(roomId, userId);
  if (refusal !== undefined) return refusal;
  await publishTypingChange(deps.bus, { roomId, userId, typing, timeoutMs: typing ? FEDERATION_TYPING_TIMEOUT_MS : 0, ts: deps.now() });
  return undefined;
}
