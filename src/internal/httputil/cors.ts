/** CORS for browser clients: every public response allows any origin; OPTIONS preflights succeed. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization, Date',
  'access-control-expose-headers': 'Content-Disposition, Content-Length, Content-Type, Retry-After',
};
