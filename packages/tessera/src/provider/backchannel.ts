// OpenID Connect Back-Channel Logout 1.0, the provider's side: when a provider session ends, every client
// that received tokens in it and registered a `backchannel_logout_uri` gets a logout token (§2.4) by a
// direct POST (§2.5), so its own session for the user ends too — single logout. The token is signed with
// the key that signs ID tokens, typed `logout+jwt`, names the session (`sid`) and the user (`sub`), and
// carries the back-channel logout event; an ID token can never pass as one (no `events`, a `nonce`).
// Deliveries run in parallel, each bounded by a deadline and refusing redirects; a client that does not
// answer 200 is reported to `onError` and never blocks the logout.
import { randomBytes } from 'node:crypto';
import type { RecordStore } from '../server/record-store.js';
import { tokenServiceSigner, type TokenService } from '../server/token-service.js';
import type { ClientRegistry } from './clients.js';
import type { FamilyRecord } from './families.js';
import type { SessionRecord } from './authorize.js';
import { RECORD_KINDS } from './record-kinds.js';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** A logout token is delivered at once; two minutes covers clock skew and a slow client. */
const LOGOUT_TOKEN_LIFETIME = 120;

/** Options of {@link createBackchannelLogout}. */
export interface BackchannelLogoutOptions {
  service: TokenService;
  store: RecordStore;
  clients: ClientRegistry;
  /** Deadline of each delivery in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Called for a delivery that failed (network error, timeout, a status other than 200). */
  onError?: (error: Error, clientId: string) => void;
}

/** One ended provider session, as the logout knows it before the session record goes. */
export interface EndedSession {
  sub: string;
  sid?: string | undefined;
  /** The clients that received tokens in the session. */
  clientIds: string[];
}

/** The ids of the clients that received tokens in a provider session (read before the session ends). */
export async function sessionClientIds(store: RecordStore, sessionId: string, t: number): Promise<string[]> {
  const session = (await store.findRecord(RECORD_KINDS.session, sessionId, t)) as SessionRecord | undefined;
  const ids = new Set<string>();
  for (const familyId of session?.families ?? []) {
    const family = (await store.findRecord(RECORD_KINDS.tokenFamily, familyId, t)) as FamilyRecord | undefined;
    if (family) ids.add(family.clientId);
  }
  return [...ids];
}

/** The logout-token sender: `notify(ended)` resolves when every delivery has succeeded or failed. */
export function createBackchannelLogout(options: BackchannelLogoutOptions) {
  const signer = tokenServiceSigner(options.service);
  if (!signer) throw new TypeError('back-channel logout needs a token service made by createTokenService');
  const timeoutMs = options.timeoutMs ?? 5000;
  const issuer = options.service.issuer;

  async function deliver(uri: string, clientId: string, ended: EndedSession): Promise<void> {
    const t = Math.floor(signer!.now());
    const token = await signer!.sign(
      {
        jti: randomBytes(16).toString('base64url'),
        events: { [EVENT]: {} },
        ...(ended.sid !== undefined ? { sid: ended.sid } : {}),
      },
      {
        issuer,
        subject: ended.sub,
        audience: clientId,
        expiresIn: LOGOUT_TOKEN_LIFETIME,
        currentDate: new Date(t * 1000),
        header: { typ: 'logout+jwt' },
      },
    );
    const response = await fetch(uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ logout_token: token }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    // §2.8: 200 is success; anything else (a redirect, 400, 501) is a failed delivery.
    if (response.status !== 200)
      throw new Error(`the back-channel logout endpoint of client "${clientId}" answered ${response.status}`);
  }

  return {
    async notify(ended: EndedSession): Promise<void> {
      const deliveries = ended.clientIds.map(async (clientId) => {
        const client = await options.clients.find(clientId);
        const uri = client?.backchannel_logout_uri;
        if (uri === undefined) return;
        try {
          await deliver(uri, clientId, ended);
        } catch (err) {
          // The message names the client and the status or the network error, never the token.
          const error = err instanceof Error ? err : new Error(String(err));
          options.onError?.(
            error.name === 'TimeoutError' ? new Error(`back-channel logout to "${clientId}" timed out`) : error,
            clientId,
          );
        }
      });
      await Promise.all(deliveries);
    },
  };
}
