// What the provider remembers about each token family (grant) it issues from a provider session: the
// login behind it (for the ID tokens of later refreshes, OpenID Connect Core §12.2) and the session it
// belongs to (so a logout revokes it). The session record lists its families; a logout revokes them and
// leaves an 'EndedSession' marker, which the refresh grant also checks — a family recorded while the
// logout ran (two writers of one session record) is caught there.
import type { RecordStore, StoredRecord } from '../server/record-store.js';
import type { TokenStore } from '../server/store.js';
import type { SessionRecord } from './authorize.js';
import { RECORD_KINDS } from './record-kinds.js';

/** How long a revoked family's marker lasts: beyond every token of it (the default absolute lifetime). */
export const FAMILY_MARKER = 90 * 86400;
const MAX_FAMILIES = 500;

/** The 'TokenFamily' record. */
export interface FamilyRecord extends StoredRecord {
  clientId: string;
  sub: string;
  scope: string;
  /** The provider session (record id) it was issued in. */
  sessionId: string;
  sid?: string;
  authTime: number;
  amr?: string[];
  acr?: string;
  /** The grant's resource indicators (RFC 8707), when it was bound to some. */
  resource?: string[];
}

/** Remembers a family and adds it to its session's list (read-modify-write; see the file comment). */
export async function recordFamily(
  store: RecordStore,
  familyId: string,
  family: FamilyRecord,
  lifetime: number,
  sessionTTL: number,
  t: number,
): Promise<void> {
  await store.putRecord(RECORD_KINDS.tokenFamily, familyId, family, t + lifetime);
  const session = (await store.findRecord(RECORD_KINDS.session, family.sessionId, t)) as SessionRecord | undefined;
  if (!session) return;
  const families = [...(session.families ?? []), familyId].slice(-MAX_FAMILIES);
  await store.putRecord(
    RECORD_KINDS.session,
    family.sessionId,
    { ...session, families },
    session.authTime + sessionTTL,
  );
}

/** True when the session was ended by a logout. */
export async function sessionEnded(store: RecordStore, sessionId: string, t: number): Promise<boolean> {
  return (await store.findRecord(RECORD_KINDS.endedSession, sessionId, t)) !== undefined;
}

/**
 * Ends a provider session: marks it ended, revokes every family issued in it (their refresh tokens go,
 * their access tokens are denied by the family marker) and deletes the session record.
 */
export async function endSession(
  store: RecordStore & Pick<TokenStore, 'revokeFamily'>,
  sessionId: string,
  t: number,
): Promise<number> {
  await store.putRecord(RECORD_KINDS.endedSession, sessionId, {}, t + FAMILY_MARKER);
  const session = (await store.findRecord(RECORD_KINDS.session, sessionId, t)) as SessionRecord | undefined;
  const families = session?.families ?? [];
  for (const familyId of families) await store.revokeFamily(familyId, t + FAMILY_MARKER);
  await store.deleteRecord(RECORD_KINDS.session, sessionId);
  return families.length;
}
