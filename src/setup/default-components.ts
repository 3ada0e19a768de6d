/** Every component of the server, in start order. */
import { clientapiComponent } from '../clientapi/component.js';
import { federationapiComponent } from '../federationapi/component.js';
import { mediaapiComponent } from '../mediaapi/component.js';
import { roomserverComponent } from '../roomserver/component.js';
import { syncapiComponent } from '../syncapi/component.js';
import { userapiComponent } from '../userapi/component.js';
import type { ComponentDefinition } from './component.js';

export const DEFAULT_COMPONENTS: readonly ComponentDefinition[] = [roomserverComponent, userapiComponent, federationapiComponent, syncapiComponent, clientapiComponent, mediaapiComponent];
