/** Every public route of the clientapi. */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { createFailedLoginLimiter } from '../auth/failed-login-limiter.js';
import { accountDataRoutes } from './account-data.js';
import { accountThreepidRoutes } from './account-threepids.js';
import { adminRegistrationTokens } from './admin-registration-tokens.js';
import { adminAccountModerationRoutes } from './admin-account-moderation.js';
import { adminWhoisRoutes } from './admin-whois.js';
import { adminUsersRoutes } from './admin-users.js';
import { adminUserDeviceRoutes } from './admin-user-devices.js';
import { adminRoomsRoutes } from './admin-rooms.js';
import type { ClientRouteDeps, ClientRouteInputs } from './client-route-deps.js';
import { deviceRoutes } from './devices.js';
import { getCapabilities } from './get-capabilities.js';
import { getJoinedRooms } from './get-joined-rooms.js';
import { getMutualRooms } from './get-mutual-rooms.js';
import { getLogin } from './get-login.js';
import { getRegisterAvailable } from './get-register-available.js';
import { getRegistrationTokenValidity } from './get-registration-token-validity.js';
import { getTurnServer } from './get-turn-server.js';
import { getVersions } from './get-versions.js';
import { getWhoami } from './get-whoami.js';
import { keysRoutes } from './keys-routes.js';
import { postAccountDeactivate } from './post-account-deactivate.js';
import { postAccountPassword } from './post-account-password.js';
import { postCreateRoom } from './post-create-room.js';
import { postKnock } from './post-knock.js';
import { postLogin } from './post-login.js';
import { postLoginGetToken } from './post-login-get-token.js';
import { postLogout } from './post-logout.js';
import { postRefresh } from './post-refresh.js';
import { postRegister } from './post-register.js';
import { presenceRoutes } from './presence.js';
import { openIdRequestTokenRoutes } from './openid-request-token.js';
import { profileRoutes } from './profile.js';
import { pushRuleRoutes } from './push-rules.js';
import { pusherRoutes } from './pushers.js';
import { reportContentRoutes } from './report-content.js';
import { roomAliasRoutes } from './room-aliases.js';
import { roomDirectoryRoutes } from './room-directory.js';
import { postRoomForget } from './room-forget.js';
import { roomMemberRoutes } from './room-members.js';
import { getTimestampToEvent } from './timestamp-to-event.js';
import { roomMembershipRoutes } from './room-membership.js';
import { roomReceiptRoutes } from './room-receipts.js';
import { roomSendRoutes } from './room-send.js';
import { roomStateRoutes } from './room-state.js';
import { roomTypingRoutes } from './room-typing.js';
import { roomKeysKeysRoutes } from './room-keys-keys.js';
import { roomKeysVersionRoutes } from './room-keys-version.js';
import { sendToDeviceRoutes } from './send-to-device.js';
import { roomSummaryRoutes } from './room-summary.js';
import { postRoomUpgrade } from './room-upgrade.js';
import { sharedSecretRegister } from './shared-secret-register.js';
import { spaceHierarchyRoutes } from './space-hierarchy.js';
import { tagRoutes } from './tags.js';
import { threepidRequestTokenRoutes } from './threepid-request-token.js';
import { userDirectorySearch } from './user-directory-search.js';

export function clientRoutes(given: ClientRouteInputs): AnyRoute[] {
  // One failed-login limiter for /login and UIA password stages, so they share the user's budget.
  const deps: ClientRouteDeps = { ...given, failedLogins: given.failedLogins ?? createFailedLoginLimiter(given.config) };
  return [
    getVersions,
    // registration
    postRegister(deps),
    getRegisterAvailable(deps),
    getRegistrationTokenValidity(deps),
    ...sharedSecretRegister(deps),
    ...adminRegistrationTokens(deps),
    ...adminWhoisRoutes(deps),
    ...adminAccountModerationRoutes(deps),
    ...adminUsersRoutes(deps),
    ...adminUserDeviceRoutes(deps),
    ...adminRoomsRoutes(deps),
    // sessions
    getLogin(),
    postLogin(deps),
    postLoginGetToken(deps),
    postRefresh(deps),
    ...postLogout(deps),
    getWhoami(),
    // devices and account
    ...deviceRoutes(deps),
    postAccountPassword(deps),
    postAccountDeactivate(deps),
    // third-party identifiers: answered as a server without 3PID support
    ...accountThreepidRoutes(deps),
    ...threepidRequestTokenRoutes(),
    // user data
    ...profileRoutes(deps),
    userDirectorySearch(deps),
    ...accountDataRoutes(deps),
    ...tagRoutes(deps),
    ...pushRuleRoutes(deps),
    ...pusherRoutes(deps),
    getCapabilities(deps),
    // VoIP: TURN relay credentials
    getTurnServer(deps),
    // rooms
    postCreateRoom(deps),
    ...roomMembershipRoutes(deps),
    postKnock(deps),
    postRoomUpgrade(deps),
    getJoinedRooms(deps),
    getMutualRooms(deps),
    ...roomSendRoutes(deps),
    ...roomStateRoutes(deps),
    ...roomMemberRoutes(deps),
    getTimestampToEvent(deps),
    ...roomAliasRoutes(deps),
    ...roomDirectoryRoutes(deps),
    ...spaceHierarchyRoutes(deps),
    ...roomSummaryRoutes(deps),
    postRoomForget(deps),
    ...reportContentRoutes(deps),
    // ephemeral: typing, receipts and read markers, presence
    ...roomTypingRoutes(deps),
    ...roomReceiptRoutes(deps),
    ...presenceRoutes(deps),
    // send-to-device messages (end-to-end encryption's signalling)
    ...sendToDeviceRoutes(deps),
    // server-side key backups (end-to-end encryption)
    ...roomKeysVersionRoutes(deps),
    ...roomKeysKeysRoutes(deps),
    // OpenID tokens for third parties
    ...openIdRequestTokenRoutes(deps),
    // end-to-end encryption keys (federation seam: see keys-federation-seam.ts)
    ...keysRoutes(deps),
  ];
}
