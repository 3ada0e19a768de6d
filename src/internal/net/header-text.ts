/** The first value of a response header as undici and Node hand headers out (string, list or absent). */
export function headerText(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
