/**
 * The one error type of the server. Handlers throw it; one renderer turns it into
 * `{errcode, error, ...extra}` with its HTTP status; the internal RPC carries it across processes
 * and rebuilds the same class, so callers branch on `errcode`, never on message text.
 */

/** Extra top-level fields some errors carry (`retry_after_ms`, `soft_logout`, UIA flows …). */
export type MatrixErrorExtra = Readonly<Record<string, unknown>>;

/** The serialised form, as rendered to clients and carried by the internal RPC. */
export interface MatrixErrorJSON {
  readonly errcode: string;
  readonly error: string;
  readonly status: number;
  readonly kind: 'matrix';
  readonly extra?: MatrixErrorExtra;
}

export class MatrixError extends Error {
  override readonly name = 'MatrixError';

  /**
   * @param status HTTP status to answer with.
   * @param errcode The spec's error code, e.g. `M_FORBIDDEN`.
   * @param message Human-readable explanation (the `error` field).
   * @param extra Additional top-level fields for the JSON body.
   */
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly extra: MatrixErrorExtra = {},
  ) {
    super(message);
  }

  /** The client-facing body: `{errcode, error, ...extra}`. */
  body(): Record<string, unknown> {
    return { ...this.extra, errcode: this.errcode, error: this.message };
  }

  toJSON(): MatrixErrorJSON {
    return { errcode: this.errcode, error: this.message, status: this.status, kind: 'matrix', extra: this.extra };
  }

  /** Rebuilds an error serialised by {@link MatrixError.toJSON}. */
  static fromJSON(j: MatrixErrorJSON): MatrixError {
    return new MatrixError(j.status, j.errcode, j.error, j.extra ?? {});
  }

  static isMatrixErrorJSON(v: unknown): v is MatrixErrorJSON {
    if (typeof v !== 'object' || v === null) return false;
    const o = v as Record<string, unknown>;
    return o.kind === 'matrix' && typeof o.errcode === 'string' && typeof o.error === 'string' && typeof o.status === 'number';
  }

  // ---- the catalogue: one factory per errcode used by the server ----

  static forbidden(msg = 'Forbidden', extra?: MatrixErrorExtra): MatrixError {
    return new MatrixError(403, 'M_FORBIDDEN', msg, extra);
  }
  static unknownToken(msg = 'Unknown or expired access token', softLogout = false): MatrixError {
    return new MatrixError(401, 'M_UNKNOWN_TOKEN', msg, softLogout ? { soft_logout: true } : {});
  }
  static missingToken(msg = 'Missing access token'): MatrixError {
    return new MatrixError(401, 'M_MISSING_TOKEN', msg);
  }
  static unauthorized(msg = 'Unauthorized'): MatrixError {
    return new MatrixError(401, 'M_UNAUTHORIZED', msg);
  }
  static badJson(msg: string): MatrixError {
    return new MatrixError(400, 'M_BAD_JSON', msg);
  }
  static notJson(msg = 'Content not JSON'): MatrixError {
    return new MatrixError(400, 'M_NOT_JSON', msg);
  }
  static notFound(msg = 'Not found'): MatrixError {
    return new MatrixError(404, 'M_NOT_FOUND', msg);
  }
  static limitExceeded(retryAfterMs: number, msg = 'Too many requests'): MatrixError {
    return new MatrixError(429, 'M_LIMIT_EXCEEDED', msg, { retry_after_ms: retryAfterMs });
  }
  static unrecognized(msg = 'Unrecognized request', status = 404): MatrixError {
    return new MatrixError(status, 'M_UNRECOGNIZED', msg);
  }
  static unknown(msg: string, status = 400): MatrixError {
    return new MatrixError(status, 'M_UNKNOWN', msg);
  }
  static userInUse(msg = 'User ID already taken'): MatrixError {
    return new MatrixError(400, 'M_USER_IN_USE', msg);
  }
  static invalidUsername(msg: string): MatrixError {
    return new MatrixError(400, 'M_INVALID_USERNAME', msg);
  }
  static roomInUse(msg = 'Room alias already taken'): MatrixError {
    return new MatrixError(400, 'M_ROOM_IN_USE', msg);
  }
  static invalidRoomState(msg: string): MatrixError {
    return new MatrixError(400, 'M_INVALID_ROOM_STATE', msg);
  }
  /** An `m.room.canonical_alias` naming an alias that does not point at the room. */
  static badAlias(msg: string): MatrixError {
    return new MatrixError(400, 'M_BAD_ALIAS', msg);
  }
  static exclusive(msg: string): MatrixError {
    return new MatrixError(400, 'M_EXCLUSIVE', msg);
  }
  static missingParam(msg: string): MatrixError {
    return new MatrixError(400, 'M_MISSING_PARAM', msg);
  }
  static invalidParam(msg: string): MatrixError {
    return new MatrixError(400, 'M_INVALID_PARAM', msg);
  }
  static tooLarge(msg = 'Request too large'): MatrixError {
    return new MatrixError(413, 'M_TOO_LARGE', msg);
  }
  /** Spec v1.16: storing the value would make the profile exceed 64 KiB. */
  static profileTooLarge(msg = 'The profile would exceed its maximum size of 64 KiB'): MatrixError {
    return new MatrixError(400, 'M_PROFILE_TOO_LARGE', msg);
  }
  /** Spec v1.16: a profile key longer than 255 bytes. */
  static keyTooLarge(msg = 'The profile key exceeds 255 bytes'): MatrixError {
    return new MatrixError(400, 'M_KEY_TOO_LARGE', msg);
  }
  static unsupportedRoomVersion(msg: string): MatrixError {
    return new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', msg);
  }
  static incompatibleRoomVersion(roomVersion: string, msg?: string): MatrixError {
    return new MatrixError(400, 'M_INCOMPATIBLE_ROOM_VERSION', msg ?? `Room version ${roomVersion} is not supported`, {
      room_version: roomVersion,
    });
  }
  static guestAccessForbidden(msg = 'Guest access is not allowed'): MatrixError {
    return new MatrixError(403, 'M_GUEST_ACCESS_FORBIDDEN', msg);
  }
  static userDeactivated(msg = 'This account has been deactivated'): MatrixError {
    return new MatrixError(403, 'M_USER_DEACTIVATED', msg);
  }
  /** Spec "Account locking": always 401 with `soft_logout: true`, so clients keep their session for the unlock. */
  static userLocked(msg = 'This account has been locked'): MatrixError {
    return new MatrixError(401, 'M_USER_LOCKED', msg, { soft_logout: true });
  }
  /** Spec "Account suspension": an action a suspended account may not take. */
  static userSuspended(msg = 'You cannot perform this action while suspended.'): MatrixError {
    return new MatrixError(403, 'M_USER_SUSPENDED', msg);
  }
  static unknownPos(msg = 'Unknown sync position'): MatrixError {
    return new MatrixError(400, 'M_UNKNOWN_POS', msg);
  }
  static serverNotTrusted(msg: string): MatrixError {
    return new MatrixError(400, 'M_SERVER_NOT_TRUSTED', msg);
  }
  static resourceLimitExceeded(msg: string): MatrixError {
    return new MatrixError(403, 'M_RESOURCE_LIMIT_EXCEEDED', msg);
  }
  static cannotLeaveServerNoticeRoom(msg: string): MatrixError {
    return new MatrixError(403, 'M_CANNOT_LEAVE_SERVER_NOTICE_ROOM', msg);
  }
  static threepidDenied(msg: string): MatrixError {
    return new MatrixError(403, 'M_THREEPID_DENIED', msg);
  }
  /** The server does not support third-party identifiers of this medium (email, msisdn). */
  static threepidMediumNotSupported(msg: string): MatrixError {
    return new MatrixError(400, 'M_THREEPID_MEDIUM_NOT_SUPPORTED', msg);
  }
  /** No record matches the third-party identifier given (e.g. a password reset for an unknown address). */
  static threepidNotFound(msg: string): MatrixError {
    return new MatrixError(400, 'M_THREEPID_NOT_FOUND', msg);
  }
  /** The third-party identifier could not be authenticated (no validated session for that `sid`). */
  static threepidAuthFailed(msg: string): MatrixError {
    return new MatrixError(400, 'M_THREEPID_AUTH_FAILED', msg);
  }
  static unableToAuthoriseJoin(msg: string): MatrixError {
    return new MatrixError(400, 'M_UNABLE_TO_AUTHORISE_JOIN', msg);
  }
  static unableToGrantJoin(msg: string): MatrixError {
    return new MatrixError(400, 'M_UNABLE_TO_GRANT_JOIN', msg);
  }
  static notYetUploaded(msg = 'Media has not been uploaded yet'): MatrixError {
    return new MatrixError(504, 'M_NOT_YET_UPLOADED', msg);
  }
  /** Remote media (or a thumbnail's source) larger than this server will serve: 502 per the spec. */
  static mediaTooLargeToServe(msg = 'The content is too large for this server to serve'): MatrixError {
    return new MatrixError(502, 'M_TOO_LARGE', msg);
  }
  /** Another server could not be reached or answered wrongly while we acted for a client. */
  static badGateway(msg: string): MatrixError {
    return new MatrixError(502, 'M_UNKNOWN', msg);
  }
  static cannotOverwriteMedia(msg = 'Media already uploaded'): MatrixError {
    return new MatrixError(409, 'M_CANNOT_OVERWRITE_MEDIA', msg);
  }
  static unknownDevice(msg = 'Unknown device'): MatrixError {
    return new MatrixError(404, 'M_NOT_FOUND', msg);
  }
  static internal(msg = 'Internal server error'): MatrixError {
    return new MatrixError(500, 'M_UNKNOWN', msg);
  }
  /** A key-backup write to a version that is not the user's current backup (403, names the current one). */
  static wrongRoomKeysVersion(currentVersion: string, msg = 'Wrong backup version'): MatrixError {
    return new MatrixError(403, 'M_WRONG_ROOM_KEYS_VERSION', msg, { current_version: currentVersion });
  }
  /** A key or its signature does not verify (`/keys/upload`, `/keys/device_signing/upload`). */
  static invalidSignature(msg = 'Invalid signature'): MatrixError {
    return new MatrixError(400, 'M_INVALID_SIGNATURE', msg);
  }
  static unavailable(msg: string): MatrixError {
    return new MatrixError(503, 'M_UNKNOWN', msg);
  }
}
