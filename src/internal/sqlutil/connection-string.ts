/** Parses the `database.connection_string` forms: `sqlite:<path>` and `postgres://…`. */
import { MatrixError } from '../errors/matrix-error.js';

export type ParsedConnectionString =
  | { readonly engine: 'sqlite'; readonly path: string }
  | { readonly engine: 'postgres'; readonly url: string };

export function parseConnectionString(conn: string): ParsedConnectionString {
  if (conn.startsWith('sqlite:')) return { engine: 'sqlite', path: conn.slice('sqlite:'.length) };
  if (conn.startsWith('postgres://') || conn.startsWith('postgresql://')) return { engine: 'postgres', url: conn };
  throw MatrixError.internal('database connection string must start with sqlite: or postgres://');
}
