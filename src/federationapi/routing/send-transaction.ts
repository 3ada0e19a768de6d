/**
 * `PUT /_matrix/federation/v1/send/{txnId}`: another server pushes PDUs and EDUs to us (spec
 * "Transactions"). The body's `origin` must be the server that signed the request; at most 50
 * PDUs and 100 EDUs (400 `M_BAD_JSON`, as Dendrite answers; Synapse answers a bare 400 `{}`).
 * Processing is in `inbound/`; each (origin, transaction ID) is processed once (`answer-once.ts`).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import { MAX_PDU_BYTES } from '../../matrix/parse-event.js';
import { createAnswerOnce } from '../inbound/answer-once.js';
import { processTransaction } from '../inbound/process-transaction.js';
import type { SendTransactionDeps } from './send-transaction-deps.js';

/** The spec's limits on one transaction. */
export const MAX_TRANSACTION_PDUS = 50;
export const MAX_TRANSACTION_EDUS = 100;
/** Room for 50 PDUs and 100 EDUs of the largest size an event may have. */
const MAX_TRANSACTION_BYTES = (MAX_TRANSACTION_PDUS + MAX_TRANSACTION_EDUS) * MAX_PDU_BYTES;

const Body = Type.Object({
  origin: Type.String(),
  origin_server_ts: Type.Integer(),
  pdus: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  edus: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
});

/** The route. */
export function sendTransactionRoutes(deps: SendTransactionDeps): AnyRoute[] {
  const answerOnce = createAnswerOnce(deps);
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v1/send/:txnId',
      auth: 'federation',
      rateLimit: 'none',
      bodyLimit: MAX_TRANSACTION_BYTES,
      schema: { params: Type.Object({ txnId: Type.String() }), body: Body },
      handler: async ({ params, body, origin }) => {
        const from = origin!.serverName;
        // Whatever we make of its body, the server just reached us with a valid signature.
        deps.heardFrom?.(from);
        if (body.origin !== from) throw MatrixError.forbidden(`The transaction's origin ${body.origin} is not the server that signed the request`);
        const edus = body.edus ?? [];
        if (body.pdus.length > MAX_TRANSACTION_PDUS || edus.length > MAX_TRANSACTION_EDUS) {
          throw MatrixError.badJson(`A transaction carries at most ${MAX_TRANSACTION_PDUS} PDUs and ${MAX_TRANSACTION_EDUS} EDUs`);
        }
        // The schema checked the shape; the values are JSON as parsed.
        const txn = { origin: from, pdus: body.pdus as JsonObject[], edus: edus as JsonObject[] };
        return answerOnce(from, params.txnId, () => processTransaction(deps, txn));
      },
    }),
  ];
}
