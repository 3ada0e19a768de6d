/**
 * The clientapi: no storage of its own; it turns client requests into calls on the other
 * components' internal APIs. Its routes grow with each component that lands.
 */
import type { ClientRoomserverAPI } from '../roomserver/api.js';
import type { ComponentDefinition } from '../setup/component.js';
import type { ClientUserAPI } from '../userapi/api.js';
import { clientRoutes } from './routing/index.js';

export const clientapiComponent: ComponentDefinition = {
  name: 'clientapi',
  async start(ctx) {
    const routes = clientRoutes({
      config: ctx.config,
      logger: ctx.logger,
      userApi: ctx.api<ClientUserAPI>('userapi'),
      roomserverApi: ctx.api<ClientRoomserverAPI>('roomserver'),
      bus: ctx.bus,
    });
    return { publicRoutes: routes, stop: async () => {} };
  },
};
