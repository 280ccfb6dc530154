// A RequestView over Node's IncomingMessage (Express and Fastify both hand one over).
import type { RequestView } from './extract.js';

/** Internal: the parts of an IncomingMessage the view reads. */
export interface NodeRequestParts {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Present on every IncomingMessage; the only place a second Authorization line survives. */
  readonly rawHeaders?: readonly string[] | undefined;
}

/** Internal: header lines from `rawHeaders` (Node keeps only the first Authorization in `headers`). */
export function nodeRequestView(message: NodeRequestParts, url: () => string | undefined): RequestView {
  return {
    header(name) {
      const raw = message.rawHeaders;
      if (Array.isArray(raw)) {
        const lines: string[] = [];
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const field = raw[i]!;
          if (field.length === name.length && field.toLowerCase() === name) lines.push(raw[i + 1]!);
        }
        return lines;
      }
      const value = message.headers[name];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    },
    url,
  };
}
