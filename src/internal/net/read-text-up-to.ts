/**
 * A small response body (an error, a gateway's answer) as text, read only up to `maxBytes`: a
 * server that sends more gets `undefined`, never our memory.
 */
export async function readTextUpTo(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
