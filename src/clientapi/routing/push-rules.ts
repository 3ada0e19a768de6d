/**
 * The push rules API over the userapi's `queryPushRules` (the ruleset with server defaults
 * merged in) and `performPushRuleUpdate` (which validates rules and reports unknown ones as
 * 404). Only the `global` scope exists. `/pushrules/` and `/pushrules/global/` are served with
 * and without their trailing slash, since clients use both.
 */
import Type, { type TSchema } from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { isJsonObject } from '../../matrix/json.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const BASE = '/_matrix/client/v3/pushrules';

const Kind = Type.Union([
  Type.Literal('override'),
  Type.Literal('underride'),
  Type.Literal('sender'),
  Type.Literal('room'),
  Type.Literal('content'),
]);
const RuleParams = Type.Object({ kind: Kind, ruleId: Type.String() });

/** The rule `ruleId` of `kind`, or 404. */
async function findRule(api: ClientUserAPI, userId: string, kind: string, ruleId: string): Promise<Record<string, unknown>> {
  const { global } = await api.queryPushRules({ userId });
  const rules = global[kind];
  const rule = Array.isArray(rules) ? rules.find((r) => isJsonObject(r) && r.rule_id === ruleId) : undefined;
  if (!isJsonObject(rule)) throw MatrixError.notFound('The push rule was not found');
  return rule;
}

/** `GET /pushrules/` (`{global}`) or `GET /pushrules/global/` (the ruleset itself) at `path`. */
function getRuleset(api: ClientUserAPI, path: string, wrap: boolean): AnyRoute {
  return defineRoute({
    method: 'GET',
    path,
    auth: 'user',
    rateLimit: 'default',
    schema: {},
    handler: async ({ requester }) => {
      const { global } = await api.queryPushRules({ userId: requester!.userId });
      return wrap ? { global } : global;
    },
  });
}

/** GET, PUT (with `before`/`after`) and DELETE of one rule. */
function ruleRoutes(api: ClientUserAPI): AnyRoute[] {
  const path = `${BASE}/global/:kind/:ruleId`;
  return [
    defineRoute({
      method: 'GET',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RuleParams },
      handler: async ({ requester, params }) => findRule(api, requester!.userId, params.kind, params.ruleId),
    }),
    defineRoute({
      method: 'PUT',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: {
        params: RuleParams,
        query: Type.Object({ before: Type.Optional(Type.String()), after: Type.Optional(Type.String()) }),
        body: Type.Object({ actions: Type.Array(Type.Unknown()) }),
      },
      handler: async ({ requester, params, query, body }) => {
        const op = { type: 'put' as const, rule: body, before: query.before, after: query.after };
        await api.performPushRuleUpdate({ userId: requester!.userId, kind: params.kind, ruleId: params.ruleId, op });
        return {};
      },
    }),
    defineRoute({
      method: 'DELETE',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RuleParams },
      handler: async ({ requester, params }) => {
        await api.performPushRuleUpdate({ userId: requester!.userId, kind: params.kind, ruleId: params.ruleId, op: { type: 'delete' } });
        return {};
      },
    }),
  ];
}

/**
 * GET and PUT of one attribute of a rule (`enabled` or `actions`): GET answers `{[attr]: value}`
 * from the merged ruleset, PUT sends the matching update operation.
 */
function attributeRoutes(api: ClientUserAPI, attr: 'enabled' | 'actions', value: TSchema): AnyRoute[] {
  const path = `${BASE}/global/:kind/:ruleId/${attr}`;
  return [
    defineRoute({
      method: 'GET',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RuleParams },
      handler: async ({ requester, params }) => ({ [attr]: (await findRule(api, requester!.userId, params.kind, params.ruleId))[attr] }),
    }),
    defineRoute({
      method: 'PUT',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RuleParams, body: Type.Object({ [attr]: value }) },
      handler: async ({ requester, params, body }) => {
        const v = (body as Record<string, unknown>)[attr];
        const op = attr === 'enabled' ? { type: 'enabled' as const, enabled: v as boolean } : { type: 'actions' as const, actions: v as unknown[] };
        await api.performPushRuleUpdate({ userId: requester!.userId, kind: params.kind, ruleId: params.ruleId, op });
        return {};
      },
    }),
  ];
}

export function pushRuleRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const api = deps.userApi;
  return [
    getRuleset(api, `${BASE}/`, true),
    getRuleset(api, BASE, true),
    getRuleset(api, `${BASE}/global/`, false),
    getRuleset(api, `${BASE}/global`, false),
    ...ruleRoutes(api),
    ...attributeRoutes(api, 'enabled', Type.Boolean()),
    ...attributeRoutes(api, 'actions', Type.Array(Type.Unknown())),
  ];
}
