// The kinds of record the provider keeps in the RecordStore (server/record-store.ts), in one place so the
// store backends, the store contract suite and the durability test can name them. Ids and values:
//
//   'Client'        id: client_id. The registered metadata (RFC 7591 §2) plus the hashed secret and the
//                   hashed registration access token; no expiry (lives until deleted).
//   'AssertionJTI'  id: `${client_id}:${jti}` of a private_key_jwt client assertion (RFC 7523 §3 item 7);
//                   `{ clientId }`, expiring with the assertion, inserted with insertRecord (replay check).
//
//   'AuthorizationCode', 'Session', 'Interaction', 'Grant': the authorization endpoint (authorize.ts).
//   'TokenFamily'   id: the token family (`sid` of its access tokens). What the refresh grant needs to
//                   issue ID tokens again and to honour logouts: session, auth_time, amr/acr, resources.
//   'EndedSession'  id: a provider session id that ended by logout; its families are refused on refresh
//                   (a family issued while the logout ran is caught there).
//   'LogoutRequest' id: the CSRF token of a logout confirmation page, bound to the session it would end.

/** The RecordStore kinds the provider writes. */
export const RECORD_KINDS = Object.freeze({
  client: 'Client',
  assertionJTI: 'AssertionJTI',
  authorizationCode: 'AuthorizationCode',
  session: 'Session',
  interaction: 'Interaction',
  grant: 'Grant',
  tokenFamily: 'TokenFamily',
  endedSession: 'EndedSession',
  logoutRequest: 'LogoutRequest',
} as const);
