// Store failures, one way: a Tessera error passes through; anything else the store throws becomes a
// StoreUnavailableError (the caller fails closed), with the store's own error as the cause.
import { JWTError, StoreUnavailableError } from '../errors.js';

export async function storeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof JWTError) throw err;
    throw new StoreUnavailableError(`the token store failed while ${what}`, { cause: err });
  }
}
