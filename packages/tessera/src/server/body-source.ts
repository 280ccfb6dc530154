// The bytes behind a Request or Response that Tessera's own layers built, so that the node:http bridge and
// the endpoints behind it can use them without a trip through the body's ReadableStream (on Node 20 a read
// through undici's stream machinery costs more CPU per request than the JSON and form work it carries).
// Only a body nobody has read is taken this way; everything else reads the stream as usual.

const sources = new WeakMap<Request | Response, string | Uint8Array>();

/** Records the body `message` was constructed with; returns `message`. */
export function withBodySource<T extends Request | Response>(message: T, body: string | Uint8Array): T {
  sources.set(message, body);
  return message;
}

/** The body `message` was constructed with, when it was recorded and its stream has not been read. */
export function bodySource(message: Request | Response): string | Uint8Array | undefined {
  return message.bodyUsed ? undefined : sources.get(message);
}

/** The body as text, decoded as `Request.text()` does (UTF-8, BOM dropped, bad bytes replaced). */
export async function bodyText(message: Request | Response): Promise<string> {
  const source = bodySource(message);
  if (source === undefined) return message.text();
  return typeof source === 'string' ? source : new TextDecoder().decode(source);
}
