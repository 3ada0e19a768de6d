/**
 * Writes a complete, commented YAML config from the schema: every key appears with its
 * description; optional keys without a default appear commented out with an example.
 */
import { stringify } from 'yaml';
import { ConfigSchema } from './config-schema.js';

/** Values that replace the schema defaults (dotted key path → value). */
export type ConfigOverrides = Readonly<Record<string, unknown>>;

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
}

/** Example values for optional keys that have no default. */
const EXAMPLES: Record<string, unknown> = {
  public_baseurl: 'https://matrix.example.org/',
  'listen.federation.tls_cert': '/etc/axon/tls.crt',
  'listen.federation.tls_key': '/etc/axon/tls.key',
  'listen.internal.shared_secret': 'a-long-random-secret',
  'registration.shared_secret': 'a-long-random-secret',
  'federation.ca_file': '/etc/axon/federation-ca.pem',
  'well_known.client_base_url': 'https://matrix.example.org',
  'well_known.server': 'matrix.example.org:443',
  'well_known.support.contacts': [
    { role: 'm.role.admin', matrix_id: '@admin:example.org', email_address: 'admin@example.org' },
    { role: 'm.role.security', email_address: 'security@example.org' },
  ],
  'well_known.support.support_page': 'https://example.org/support.html',
  'turn.shared_secret': 'the-static-auth-secret-of-coturn',
  'turn.username': 'turnuser',
  'turn.password': 'turnpassword',
};

/** The YAML text of a complete config. `server_name` must be given (it has no default). */
export function generateConfig(overrides: ConfigOverrides & { server_name: string }): string {
  const lines = [
    '# Axon configuration. Every key is listed with its default; commented keys are optional.',
    '# Relative paths are resolved against the directory of this file.',
    '',
  ];
  emitObject(ConfigSchema as unknown as SchemaNode, '', 0, false, overrides, lines);
  return `${lines.join('\n')}\n`;
}

function emitObject(
  node: SchemaNode,
  path: string,
  depth: number,
  commented: boolean,
  overrides: ConfigOverrides,
  out: string[],
): void {
  const indent = '  '.repeat(depth);
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const keyPath = path ? `${path}.${key}` : key;
    const hasValue = keyPath in overrides || child.default !== undefined || required.has(key);
    const c = commented || !hasValue;
    const hash = c ? '# ' : '';
    if (child.description) out.push(`${indent}# ${child.description}`);
    if (child.type === 'object' && child.properties && Object.keys(child.properties).length > 0 && !(keyPath in overrides)) {
      const body: string[] = [];
      emitObject(child, keyPath, depth + 1, c, overrides, body);
      // A mapping whose keys are all commented out must still be a mapping, not null.
      const empty = !c && body.every((l) => l.trimStart().startsWith('#'));
      out.push(`${indent}${hash}${key}:${empty ? ' {}' : ''}`, ...body);
      continue;
    }
    const value = keyPath in overrides ? overrides[keyPath] : (child.default ?? EXAMPLES[keyPath] ?? placeholder(child));
    out.push(...renderValue(key, value, indent, hash));
  }
}

function renderValue(key: string, value: unknown, indent: string, hash: string): string[] {
  const isEmptyObject = typeof value === 'object' && value !== null && Object.keys(value).length === 0;
  if (typeof value !== 'object' || value === null || isEmptyObject) {
    return [`${indent}${hash}${key}: ${stringify(value).trimEnd()}`];
  }
  const body = stringify(value).trimEnd().split('\n');
  return [`${indent}${hash}${key}:`, ...body.map((l) => `${indent}${hash}  ${l}`)];
}

function placeholder(node: SchemaNode): unknown {
  switch (node.type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return {};
  }
}
