// What the running node:crypto lacks. Node's OpenSSL has every primitive Tessera uses; the Node-compatibility
// layers of other runtimes, where `tessera-jwt` is this build too, do not: Deno 2.9 has no AES-192-GCM or
// AES-192-CBC, Bun 1.4 (BoringSSL) no secp256k1, X448 or Ed448 (neither has the AES key-wrap ciphers, which
// aes-kw.ts composes from AES instead). An operation that needs a missing primitive is refused with the
// web entry's error: an InvalidAlgorithmError naming the algorithm and the runtime, never the runtime's own
// untyped error. Each primitive is probed once, when first needed; on Node every probe succeeds.
import { Buffer } from 'node:buffer';
import { InvalidAlgorithmError } from '../errors.js';
import { nodeCrypto } from './node-crypto.js';

/** The runtime as a message names it: "Deno 2.9.6", "Bun 1.4.5" or "Node.js 20.20.2". */
export function runtimeName(): string {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; Bun?: { version?: string } };
  if (typeof g.Deno?.version?.deno === 'string') return `Deno ${g.Deno.version.deno}`;
  if (typeof g.Bun?.version === 'string') return `Bun ${g.Bun.version}`;
  return `Node.js ${process.versions.node}`;
}

const probed = new Map<string, boolean>();
function probe(name: string, attempt: () => unknown): boolean {
  let ok = probed.get(name);
  if (ok === undefined) {
    try {
      attempt();
      ok = true;
    } catch {
      ok = false;
    }
    probed.set(name, ok);
  }
  return ok;
}

/** True when node:crypto has the AES cipher `aes-<bits>-<mode>`. */
export function hasAES(bits: number, mode: 'gcm' | 'cbc'): boolean {
  return probe(`aes-${bits}-${mode}`, () =>
    nodeCrypto().createCipheriv(`aes-${bits}-${mode}`, Buffer.alloc(bits / 8), Buffer.alloc(mode === 'gcm' ? 12 : 16)),
  );
}

/** The asymmetric key types some runtimes lack, by node:crypto's names. */
export type OptionalKeyType = 'secp256k1' | 'x448' | 'ed448';

// Encoded output only: no KeyObject shared with the generation job (see keygen.ts for why that matters).
const PROBE_ENCODING = { publicKeyEncoding: { format: 'jwk' }, privateKeyEncoding: { format: 'jwk' } } as const;

/** True when node:crypto can make (and so use) keys of `type`. */
export function hasKeyType(type: OptionalKeyType): boolean {
  return probe(type, () =>
    type === 'secp256k1'
      ? nodeCrypto().generateKeyPairSync('ec', { namedCurve: 'secp256k1', ...PROBE_ENCODING } as never)
      : nodeCrypto().generateKeyPairSync(type as 'x448', PROBE_ENCODING as never),
  );
}

/** The typed refusal for an algorithm whose primitive this runtime's node:crypto lacks. */
export function unavailable(algorithm: string, primitive: string): InvalidAlgorithmError {
  return new InvalidAlgorithmError(
    `${algorithm} is not available on ${runtimeName()}: its node:crypto has no ${primitive}`,
  );
}

const KEY_TYPE_OIDS: ReadonlyArray<[OptionalKeyType, Buffer]> = [
  ['secp256k1', Buffer.from('06052b8104000a', 'hex')], // 1.3.132.0.10
  ['x448', Buffer.from('06032b656f', 'hex')], // 1.3.101.111
  ['ed448', Buffer.from('06032b6571', 'hex')], // 1.3.101.113
];
const ALGORITHM_OF: Record<OptionalKeyType, string> = { secp256k1: 'ES256K', x448: 'ECDH-ES', ed448: 'Ed448' };
const PRIMITIVE_OF: Record<OptionalKeyType, string> = { secp256k1: 'secp256k1', x448: 'X448', ed448: 'Ed448' };

/** The refusal for a key of a type this runtime lacks, or undefined when the type is available. */
export function missingKeyType(type: OptionalKeyType): InvalidAlgorithmError | undefined {
  return hasKeyType(type) ? undefined : unavailable(ALGORITHM_OF[type], PRIMITIVE_OF[type]);
}

/** For a key that failed to import: the refusal naming a missing key type its DER names, if any. */
export function missingKeyTypeInDER(der: Uint8Array): InvalidAlgorithmError | undefined {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  for (const [type, oid] of KEY_TYPE_OIDS) if (bytes.includes(oid)) return missingKeyType(type);
  return undefined;
}

/** The key type a JWK "crv" names, when it is one some runtimes lack. */
export function optionalKeyTypeOfCurve(crv: unknown): OptionalKeyType | undefined {
  return crv === 'secp256k1' ? 'secp256k1' : crv === 'X448' ? 'x448' : crv === 'Ed448' ? 'ed448' : undefined;
}
