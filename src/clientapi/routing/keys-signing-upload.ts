/**
 * `POST /keys/device_signing/upload` and `POST /keys/signatures/upload`: cross-signing keys and
 * signatures of keys.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { PerformUploadDeviceSigningKeysRequest } from '../../userapi/api.js';
import { finishUserInteractiveAuth } from '../auth/run-user-interactive-auth.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { PASSWORD_FLOWS, runRouteUia } from './route-uia.js';

const KeyObject = Type.Record(Type.String(), Type.Unknown());
const DeviceSigningBody = Type.Object({
  master_key: Type.Optional(KeyObject),
  self_signing_key: Type.Optional(KeyObject),
  user_signing_key: Type.Optional(KeyObject),
  auth: Type.Optional(Type.Unknown()),
});
const SignaturesBody = Type.Record(Type.String(), Type.Record(Type.String(), KeyObject));

/**
 * UIA as spec v1.11 and Synapse have it: skipped when the user has no master key yet (first
 * set-up) or every key sent equals the stored one (a retry), and for application services
 * (spec v1.17); required to replace keys.
 */
export function keysDeviceSigningUpload(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/keys/device_signing/upload',
    auth: 'user',
    rateLimit: 'default',
    schema: { body: DeviceSigningBody },
    handler: async (ctx) => {
      const { requester, body } = ctx;
      const req: PerformUploadDeviceSigningKeysRequest = {
        userId: requester!.userId,
        ...(body.master_key ? { master: body.master_key as JsonObject } : {}),
        ...(body.self_signing_key ? { selfSigning: body.self_signing_key as JsonObject } : {}),
        ...(body.user_signing_key ? { userSigning: body.user_signing_key as JsonObject } : {}),
      };
      const { needsAuth } = await deps.userApi.queryDeviceSigningUploadNeedsAuth(req);
      if (!needsAuth || requester!.appserviceId !== undefined) {
        await deps.userApi.performUploadDeviceSigningKeys(req);
        return {};
      }
      const uia = await runRouteUia(deps, ctx, PASSWORD_FLOWS);
      if (uia.kind === 'challenge') return uia.response;
      await deps.userApi.performUploadDeviceSigningKeys(req);
      await finishUserInteractiveAuth(deps.userApi, uia.session);
      return {};
    },
  });
}

/** Signatures that fail come back in `failures`; the others are stored. */
export function keysSignaturesUpload(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/keys/signatures/upload',
    auth: 'user',
    rateLimit: 'default',
    schema: { body: SignaturesBody },
    handler: async ({ requester, body }) => {
      const res = await deps.userApi.performUploadKeySignatures({ userId: requester!.userId, signatures: body as Record<string, Record<string, JsonObject>> });
      return { failures: res.failures };
    },
  });
}
