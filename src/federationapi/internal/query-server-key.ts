/**
 * `queryServerKey`: a remote server's public key for checking a signature, from the key ring
 * (memory, database, the server, the trusted notaries). A key that cannot be found or is not
 * valid for the time asked is null: the signature is then unverifiable and the caller rejects.
 */
import type { KeyRing } from '../keyring/key-ring.js';
import type { QueryServerKeyRequest, QueryServerKeyResponse } from '../api.js';

/** Looks the key up. */
export async function queryServerKey(keyRing: KeyRing, req: QueryServerKeyRequest): Promise<QueryServerKeyResponse> {
  const found = await keyRing.verifyKey(req.serverName, req.keyId, {
    ...(req.atTs !== undefined ? { atTs: req.atTs } : {}),
    ...(req.minimumValidUntilTs !== undefined ? { minimumValidUntilTs: req.minimumValidUntilTs } : {}),
  });
  return { publicKey: found.ok ? found.key.publicKey : null };
}
