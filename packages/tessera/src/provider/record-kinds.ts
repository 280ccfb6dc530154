// The kinds of record the provider keeps in the RecordStore (server/record-store.ts), in one place so the
// store backends, the store contract suite and the durability test can name them. Ids and values:
//
//   'Client'        id: client_id. The registered metadata (RFC 7591 §2) plus the hashed secret and the
//                   hashed registration access token; no expiry (lives until deleted).
//   'AssertionJTI'  id: `${client_id}:${jti}` of a private_key_jwt client assertion (RFC 7523 §3 item 7);
//                   `{ clientId }`, expiring with the assertion, inserted with insertRecord (replay check).
//
// Reserved for the next steps (authorization endpoint, sessions, consent): 'AuthorizationCode', 'Session',
// 'Interaction', 'Grant'.

/** The RecordStore kinds the provider writes. */
export const RECORD_KINDS = Object.freeze({
  client: 'Client',
  assertionJTI: 'AssertionJTI',
  authorizationCode: 'AuthorizationCode',
  session: 'Session',
  interaction: 'Interaction',
  grant: 'Grant',
} as const);
