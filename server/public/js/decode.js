// Decoding in the browser, without verification: split the compact serialization, base64url-decode
// each part strictly (RFC 7515 §2: no padding, no + or /), and parse the JSON. Nothing here needs a
// key, so nothing here talks to a server.

export class TokenDecodeError extends Error {}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function base64urlToBytes(text, what) {
  if (!B64URL.test(text)) throw new TokenDecodeError(`${what} is not base64url (only A–Z a–z 0–9 - _, no padding)`);
  if (text.length % 4 === 1) throw new TokenDecodeError(`${what} has an impossible base64url length`);
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function jsonPart(text, what) {
  let json;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(text, what));
  } catch (err) {
    if (err instanceof TokenDecodeError) throw err;
    throw new TokenDecodeError(`${what} is not valid UTF-8`);
  }
  let value;
  try {
    value = JSON.parse(json);
  } catch {
    throw new TokenDecodeError(`${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TokenDecodeError(`${what} must be a JSON object`);
  return value;
}

/**
 * → { kind: 'JWS', header, payload, payloadText?, signatureBytes }
 *   { kind: 'JWE', header, encryptedKeyBytes, ciphertextBytes }
 * Throws TokenDecodeError with a message that says which part is wrong.
 */
export function decodeToken(input) {
  const token = input.trim().replace(/^Bearer\s+/i, '');
  if (token === '') throw new TokenDecodeError('Paste a token');
  const parts = token.split('.');
  if (parts.length === 3) {
    const header = jsonPart(parts[0], 'The header (part 1)');
    let payload;
    let payloadText;
    try {
      payload = jsonPart(parts[1], 'The payload (part 2)');
    } catch (err) {
      // A JWS may carry any bytes; show them as text when they are not a JSON object.
      if (header.b64 === false) payloadText = parts[1];
      else {
        try {
          payloadText = new TextDecoder('utf-8', { fatal: true }).decode(
            base64urlToBytes(parts[1], 'The payload (part 2)'),
          );
        } catch {
          throw err;
        }
      }
    }
    const signatureBytes = base64urlToBytes(parts[2], 'The signature (part 3)');
    return { kind: 'JWS', token, header, payload, payloadText, signatureBytes };
  }
  if (parts.length === 5) {
    const header = jsonPart(parts[0], 'The protected header (part 1)');
    const encryptedKeyBytes = base64urlToBytes(parts[1], 'The encrypted key (part 2)');
    base64urlToBytes(parts[2], 'The IV (part 3)');
    const ciphertextBytes = base64urlToBytes(parts[3], 'The ciphertext (part 4)');
    base64urlToBytes(parts[4], 'The tag (part 5)');
    return { kind: 'JWE', token, header, encryptedKeyBytes, ciphertextBytes };
  }
  throw new TokenDecodeError(`A JWS has 3 dot-separated parts and a JWE 5; this has ${parts.length}`);
}
