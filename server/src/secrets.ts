// The two server secrets: the key that encrypts signing keys at rest and the bearer secret of
// /introspect. Production passes both in the environment (from a secret manager); a developer's first
// `npm start` generates them into DATA_DIR/secrets.json (mode 0600) so restarts keep working — with a
// loud warning, because a secret on the same disk as the data it protects protects little.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

export interface Secrets {
  /** 32 bytes. */
  readonly keyEncryptionKey: Buffer;
  readonly introspectionSecret: string;
}

interface SecretsFile {
  keyEncryptionKey?: string;
  introspectionSecret?: string;
}

export async function loadSecrets(config: Config, log: Logger): Promise<Secrets> {
  const file = join(config.dataDir, 'secrets.json');
  let saved: SecretsFile = {};
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as SecretsFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  let changed = false;
  let kek = config.keyEncryptionKey ?? saved.keyEncryptionKey;
  if (kek === undefined) {
    kek = randomBytes(32).toString('base64url');
    saved.keyEncryptionKey = kek;
    changed = true;
    log.warn(
      'generated a key encryption key into the data directory: production must set TESSERA_KEY_ENCRYPTION_KEY from a secret manager',
      { file },
    );
  }
  let introspectionSecret = config.introspectionSecret ?? saved.introspectionSecret;
  if (introspectionSecret === undefined) {
    introspectionSecret = randomBytes(32).toString('base64url');
    saved.introspectionSecret = introspectionSecret;
    changed = true;
    log.warn(
      'generated the /introspect bearer secret into the data directory: production must set TESSERA_INTROSPECTION_SECRET',
      { file },
    );
  }
  if (changed) {
    await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600); // writeFile's mode only applies to a new file
  }
  const keyEncryptionKey = Buffer.from(kek, 'base64url');
  if (keyEncryptionKey.length !== 32) throw new Error(`the key encryption key in ${file} is not 32 bytes of base64url`);
  return { keyEncryptionKey, introspectionSecret };
}
