// A minimal, strict DER reader (X.690 §10) for the key structures the web entry parses itself: definite
// lengths only, in their shortest form, no high tag numbers, every constructed element exactly covered by
// its children, nothing after the outermost element, and limits on size and nesting. Anything else is
// not DER and is refused; the reader never guesses. Also the few encoders needed to re-wrap PKCS#1 and
// SEC1 keys as SPKI / PKCS#8, the only forms crypto.subtle imports.

/** Internal: one DER element; `children` for constructed ones (bit 0x20 of the tag). */
export interface DERNode {
  readonly tag: number;
  /** The whole element (header and contents). */
  readonly bytes: Uint8Array;
  /** The contents. */
  readonly value: Uint8Array;
  readonly children?: readonly DERNode[];
}

/** Internal: DER tags used by the key parsers. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
} as const;

/** The largest DER input accepted (a 16384-bit RSA key or a large certificate fits easily). */
export const MAX_DER_BYTES = 64 * 1024;
/** The deepest nesting of constructed elements accepted. */
export const MAX_DER_DEPTH = 20;

/** Internal: thrown for anything that is not strict DER; callers turn it into their typed error. */
export class DERSyntaxError extends Error {}

function element(bytes: Uint8Array, at: number, end: number, depth: number): DERNode {
  if (end - at < 2) throw new DERSyntaxError('truncated element');
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DERSyntaxError('high tag numbers are not used in keys');
  let length = bytes[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    // 0x80 is BER's indefinite length; more than 3 octets is beyond MAX_DER_BYTES anyway.
    if (octets === 0 || octets > 3) throw new DERSyntaxError('indefinite or oversized length');
    if (end - start < octets) throw new DERSyntaxError('truncated length');
    if (bytes[start] === 0) throw new DERSyntaxError('length not in shortest form');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[start++]!;
    if (length < 0x80) throw new DERSyntaxError('length not in shortest form');
  }
  if (length > end - start) throw new DERSyntaxError('length beyond the input');
  const value = bytes.subarray(start, start + length);
  const whole = bytes.subarray(at, start + length);
  if ((tag & 0x20) === 0) return { tag, bytes: whole, value };
  if (depth >= MAX_DER_DEPTH) throw new DERSyntaxError('nested too deeply');
  const children: DERNode[] = [];
  for (let pos = start; pos < start + length; ) {
    const child = element(bytes, pos, start + length, depth + 1);
    children.push(child);
    pos += child.bytes.length;
  }
  return { tag, bytes: whole, value, children };
}

/** Internal: parses exactly one DER element filling all of `bytes`. */
export function parseDER(bytes: Uint8Array): DERNode {
  if (bytes.length > MAX_DER_BYTES) throw new DERSyntaxError('input too large');
  const node = element(bytes, 0, bytes.length, 0);
  if (node.bytes.length !== bytes.length) throw new DERSyntaxError('trailing bytes');
  return node;
}

/** Internal: the children of a constructed element with `tag`, at least `min` of them. */
export function expect(node: DERNode | undefined, tag: number, min = 0): readonly DERNode[] {
  if (node === undefined || node.tag !== tag) throw new DERSyntaxError(`expected tag 0x${tag.toString(16)}`);
  if ((tag & 0x20) === 0) return [];
  const children = node.children!;
  if (children.length < min) throw new DERSyntaxError('too few elements');
  return children;
}

/** Internal: a primitive element's contents, checking its tag. */
export function contentsOf(node: DERNode | undefined, tag: number): Uint8Array {
  expect(node, tag);
  return node!.value;
}

/** Internal: a non-negative INTEGER in minimal two's complement, as a number (at most 2^53 - 1). */
export function smallInteger(node: DERNode | undefined): number {
  const v = unsignedInteger(node);
  if (v.length > 7) throw new DERSyntaxError('integer too large');
  let n = 0;
  for (const b of v) n = n * 256 + b;
  if (!Number.isSafeInteger(n)) throw new DERSyntaxError('integer too large');
  return n;
}

/** Internal: a non-negative INTEGER's magnitude (no leading zero octet). */
export function unsignedInteger(node: DERNode | undefined): Uint8Array {
  const v = contentsOf(node, TAG.INTEGER);
  if (v.length === 0) throw new DERSyntaxError('empty integer');
  if (v[0]! & 0x80) throw new DERSyntaxError('negative integer');
  if (v.length > 1 && v[0] === 0 && (v[1]! & 0x80) === 0) throw new DERSyntaxError('integer not in minimal form');
  return v[0] === 0 && v.length > 1 ? v.subarray(1) : v;
}

/** Internal: an OBJECT IDENTIFIER's contents as hex (compared with the constants in pem.ts). */
export function oidHex(node: DERNode | undefined): string {
  return hex(contentsOf(node, TAG.OID));
}

/** Internal: bytes as lowercase hex. */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Internal: hex to bytes (constants only). */
export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Internal: encodes one element. */
export function encode(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const header =
    length < 0x80
      ? [tag, length]
      : length < 0x100
        ? [tag, 0x81, length]
        : length < 0x10000
          ? [tag, 0x82, length >> 8, length & 0xff]
          : [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let pos = header.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
