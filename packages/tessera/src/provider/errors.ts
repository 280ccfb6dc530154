// The provider's own typed error: client metadata refused (RFC 7591 §3.2.2). Its message names the
// metadata field and never contains a secret.
import { JWTError } from '../errors.js';

/**
 * Client metadata was refused: RFC 7591 §3.2.2's `invalid_redirect_uri` or `invalid_client_metadata`
 * (`oauthError`), thrown by registration, update and seeding.
 * @example
 * ```ts
 * try { await clients.register({ redirect_uris: ['http://app.example/cb'] }); }
 * catch (err) { if (err instanceof InvalidClientMetadataError) reply(400, { error: err.oauthError, error_description: err.message }); }
 * ```
 */
export class InvalidClientMetadataError extends JWTError {
  override readonly code = 'ERR_CLIENT_METADATA_INVALID' as const;
  /** The RFC 7591 §3.2.2 error code. */
  readonly oauthError: 'invalid_redirect_uri' | 'invalid_client_metadata';
  constructor(oauthError: 'invalid_redirect_uri' | 'invalid_client_metadata', message: string) {
    super(message);
    this.oauthError = oauthError;
  }
}
