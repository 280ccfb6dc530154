// Caller-supplied JWS algorithms. They live only in the options that name them (no global registry a
// dependency could poison), may not reuse a built-in name (a custom "RS256" could silently weaken
// every verifier) and may not be "none" in any casing.
import { Buffer } from 'node:buffer';
import { InvalidSignatureError } from '../errors.js';
import type { CustomAlgorithm } from '../types.js';
import { type AlgorithmInfo, algorithmInfo, isNoneAlgorithm } from './algorithms.js';
import { keyTypeRule } from './key-types.js';

const infos = new WeakMap<CustomAlgorithm, AlgorithmInfo>();

/** True for an object given where an algorithm name is expected. */
export function isCustomAlgorithm(value: unknown): value is CustomAlgorithm {
  return value !== null && typeof value === 'object';
}

/** Validates a custom algorithm (TypeError for misuse) and returns its AlgorithmInfo. */
export function customAlgorithmInfo(alg: CustomAlgorithm, need: 'sign' | 'verify'): AlgorithmInfo {
  let info = infos.get(alg);
  if (!info) {
    const { name } = alg;
    if (typeof name !== 'string' || name.length === 0 || name.length > 64)
      throw new TypeError('a custom algorithm needs a "name" of 1 to 64 characters');
    if (isNoneAlgorithm(name)) throw new TypeError('a custom algorithm cannot be called "none"');
    if (algorithmInfo(name) || keyTypeRule(name))
      throw new TypeError(`a custom algorithm cannot shadow the built-in algorithm "${name}"`);
    if (alg.sign !== undefined && typeof alg.sign !== 'function')
      throw new TypeError(`custom algorithm "${name}": "sign" must be a function`);
    if (alg.verify !== undefined && typeof alg.verify !== 'function')
      throw new TypeError(`custom algorithm "${name}": "verify" must be a function`);
    info = Object.freeze({ name, family: 'custom', hash: null, custom: alg }) as AlgorithmInfo;
    infos.set(alg, info);
  }
  if (typeof alg[need] !== 'function') throw new TypeError(`custom algorithm "${info.name}" has no "${need}" function`);
  return info;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function checkSignatureBytes(name: string, value: unknown): string {
  if (!(value instanceof Uint8Array) || value.length === 0)
    throw new TypeError(`custom algorithm "${name}": "sign" must return non-empty signature bytes (a Uint8Array)`);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url');
}

/** Signs with a custom algorithm: the base64url signature, or a Promise of it for an async signer. */
export function customSign(info: AlgorithmInfo, key: unknown, signingInput: string): string | Promise<string> {
  const result = info.custom!.sign!(Buffer.from(signingInput, 'latin1'), key);
  if (isThenable(result)) {
    return Promise.resolve(result).then((bytes) => checkSignatureBytes(info.name, bytes));
  }
  return checkSignatureBytes(info.name, result);
}

function outcome(ok: unknown): void {
  // Only a literal true passes: a truthy non-boolean from a careless verify function fails closed.
  if (ok !== true) throw new InvalidSignatureError('signature verification failed');
}

/**
 * Verifies with a custom algorithm. A Promise from `verify` is returned only when `allowAsync`
 * (the caller is already asynchronous); otherwise it is a TypeError, since a synchronous verifier
 * that ignored it would fail open.
 */
export function customVerify(
  info: AlgorithmInfo,
  key: unknown,
  signingInput: string,
  signature: Buffer,
  allowAsync: boolean,
): void | Promise<void> {
  const result = info.custom!.verify!(
    Buffer.from(signingInput, 'latin1'),
    new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength),
    key,
  );
  if (isThenable(result)) {
    if (!allowAsync) {
      Promise.resolve(result).catch(() => {}); // nobody awaits it: keep a rejection from becoming unhandled
      throw new TypeError(
        `custom algorithm "${info.name}": "verify" returned a Promise; verify with a key resolver (async) or make it synchronous`,
      );
    }
    return Promise.resolve(result).then(outcome);
  }
  outcome(result);
}
