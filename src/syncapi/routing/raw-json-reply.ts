/**
 * Writes a response body whose events may be stored JSON text (`sync/raw-json.ts`): Fastify's own
 * serialiser would write a `RawJson` leaf as `{}`, so such bodies are written here instead.
 */
import type { FastifyReply } from 'fastify';
import { RAW_REPLY_SENT, type RawReplySent } from '../../internal/httputil/route.js';
import { stringifyWithRaw } from '../sync/raw-json.js';

/** Sends `body` with status 200, its `RawJson` leaves spliced in; what the handler returns. */
export function replyWithRawJson(reply: FastifyReply, body: unknown): RawReplySent {
  void reply.code(200).type('application/json').send(stringifyWithRaw(body));
  return RAW_REPLY_SENT;
}
