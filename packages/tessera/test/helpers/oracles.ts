// Calling the interop oracles in ../shared/oracles (see its README.md for the contract):
// one JSON request on stdin, one JSON line on stdout. Every call is its own process, run through a
// small shared limiter so a suite can fire many calls at once without swamping a 2-core machine.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ORACLES } from './paths.js';

export const ORACLE_NAMES = ['pyjwt', 'jwcrypto', 'authlib', 'jose', 'jsonwebtoken'] as const;
export type OracleName = (typeof ORACLE_NAMES)[number];

/** Debian's interpreter: the python3-* packages are importable only from it (a pyenv python3 may come first on PATH). */
const DEBIAN_PYTHON = '/usr/bin/python3';

export interface OracleSpec {
  name: OracleName;
  /** The library's usual name, for test titles. */
  label: string;
  command: string;
  script: string;
  /** A Python module or npm package the oracle needs. */
  needs: { kind: 'python' | 'npm'; name: string };
  /** The command that installs what the oracle needs. */
  install: string;
}

const npmInstall = `npm ci --prefix ${ORACLES}`;

export const ORACLE_SPECS: Record<OracleName, OracleSpec> = {
  pyjwt: {
    name: 'pyjwt',
    label: 'PyJWT',
    command: DEBIAN_PYTHON,
    script: join(ORACLES, 'pyjwt.py'),
    needs: { kind: 'python', name: 'jwt' },
    install: 'apt-get update && apt-get install -y python3-jwt',
  },
  jwcrypto: {
    name: 'jwcrypto',
    label: 'jwcrypto',
    command: DEBIAN_PYTHON,
    script: join(ORACLES, 'jwcrypto_oracle.py'),
    needs: { kind: 'python', name: 'jwcrypto' },
    install: 'apt-get update && apt-get install -y python3-jwcrypto',
  },
  authlib: {
    name: 'authlib',
    label: 'Authlib',
    command: DEBIAN_PYTHON,
    script: join(ORACLES, 'authlib_oracle.py'),
    needs: { kind: 'python', name: 'authlib' },
    install: 'apt-get update && apt-get install -y python3-authlib',
  },
  jose: {
    name: 'jose',
    label: 'jose',
    command: process.execPath,
    script: join(ORACLES, 'jose.mjs'),
    needs: { kind: 'npm', name: 'jose' },
    install: npmInstall,
  },
  jsonwebtoken: {
    name: 'jsonwebtoken',
    label: 'jsonwebtoken',
    command: process.execPath,
    script: join(ORACLES, 'jsonwebtoken.mjs'),
    needs: { kind: 'npm', name: 'jsonwebtoken' },
    install: npmInstall,
  },
};

export interface OracleError {
  type: string;
  native?: string;
  message?: string;
  [member: string]: unknown;
}

export type OracleResponse =
  | { ok: true; token?: string; header?: Record<string, unknown>; payload?: unknown; [member: string]: unknown }
  | { ok: false; error: OracleError };

/** Error types that are not a verdict on a token (the oracle could not judge it at all). */
export const NON_VERDICT_ERRORS: readonly string[] = [
  'bad_request',
  'oracle_unavailable',
  'option_unsupported',
  'unsupported',
  'key_invalid',
];

// ---------------------------------------------------------------------------------------------
// Bounded concurrency

/** How many oracle processes may run at once (ORACLE_CONCURRENCY overrides; default cores + 1, at most 3). */
export const ORACLE_CONCURRENCY = ((): number => {
  const fromEnv = Number(process.env.ORACLE_CONCURRENCY);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return Math.max(1, Math.min(3, availableParallelism() + 1));
})();

function createLimiter(max: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (active < max) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over by release()
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return async <T>(job: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await job();
    } finally {
      release();
    }
  };
}

const limit = createLimiter(ORACLE_CONCURRENCY);

// ---------------------------------------------------------------------------------------------
// One call

export interface CallOptions {
  /** Kill the oracle after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

function runOnce(spec: OracleSpec, request: unknown, timeoutMs: number): Promise<OracleResponse> {
  return runProcess(spec.label, spec.command, [spec.script], undefined, request, timeoutMs);
}

/** Spawns one process, writes `request` as JSON to its stdin and resolves with the first JSON line of its stdout. */
function runProcess(
  label: string,
  command: string,
  args: string[],
  cwd: string | undefined,
  request: unknown,
  timeoutMs: number,
): Promise<OracleResponse> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd,
      // Do not write __pycache__ into the shared oracles folder.
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`${label} oracle did not answer within ${timeoutMs} ms`)));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.on('error', () => {
      /* EPIPE when the oracle died early; reported on close */
    });
    child.on('error', (e) =>
      finish(() => reject(new Error(`${label} oracle could not start (${command}): ${e.message}`))),
    );
    child.on('close', (code, signal) => {
      finish(() => {
        const line = stdout.split('\n').find((l) => l.trim() !== '');
        if (line !== undefined) {
          try {
            const parsed: unknown = JSON.parse(line);
            if (parsed !== null && typeof parsed === 'object' && 'ok' in parsed) {
              resolve(parsed as OracleResponse);
              return;
            }
          } catch {
            // fall through to the error below
          }
        }
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(
          new Error(`${label} oracle gave no JSON answer (exit ${code ?? signal}): ${tail || stdout.slice(0, 200)}`),
        );
      });
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/** Send one request to an oracle; resolves with its JSON answer (which may be `{ ok: false }`). */
export function callOracle(
  name: OracleName,
  request: Record<string, unknown>,
  options: CallOptions = {},
): Promise<OracleResponse> {
  const spec = ORACLE_SPECS[name];
  return limit(() => runOnce(spec, request, options.timeoutMs ?? 30_000));
}

// ---------------------------------------------------------------------------------------------
// Library scripts: what the oracle CLIs do not offer

/** Oracles whose library a test may drive with a short script of its own. */
export type ScriptableOracle = 'jwcrypto' | 'jose';

/**
 * Runs `code` against an oracle's library — jwcrypto under Debian's python3 (`python3 -c`), jose from the oracles'
 * node_modules (`node --input-type=module -e`, run in the oracles folder so that `import 'jose'` resolves there) —
 * for what the oracle CLIs lack (e.g. SHA-384/512 thumbprints in jwcrypto, or many keys in one process).
 * The script reads one JSON value from stdin and prints one JSON line `{"ok": true, ...}` (or `{"ok": false, "error"}`).
 * Nothing is written to the oracles folder. Goes through the same limiter as callOracle.
 */
export function callOracleLibrary(
  name: ScriptableOracle,
  code: string,
  input: unknown,
  options: CallOptions = {},
): Promise<OracleResponse> {
  const spec = ORACLE_SPECS[name];
  const args = name === 'jose' ? ['--input-type=module', '-e', code] : ['-c', code];
  return limit(() =>
    runProcess(
      spec.label,
      spec.command,
      args,
      name === 'jose' ? ORACLES : undefined,
      input,
      options.timeoutMs ?? 30_000,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Availability

export type OracleStatus =
  | { name: OracleName; available: true; info: Record<string, unknown> }
  | { name: OracleName; available: false; reason: string; install: string };

/** Is the oracle runnable here? Never throws; an unavailable oracle comes with the reason and the install command. */
export async function probeOracle(name: OracleName): Promise<OracleStatus> {
  const spec = ORACLE_SPECS[name];
  const down = (reason: string): OracleStatus => ({ name, available: false, reason, install: spec.install });
  if (!existsSync(spec.script))
    return down(
      `oracle script ${spec.script} not found (is ../shared beside the repository? TESSERA_SHARED overrides)`,
    );
  if (!existsSync(spec.command)) return down(`${spec.command} not found`);
  if (spec.needs.kind === 'npm' && !existsSync(join(ORACLES, 'node_modules', spec.needs.name, 'package.json'))) {
    return down(`npm package ${spec.needs.name} is not installed in ${join(ORACLES, 'node_modules')}`);
  }
  try {
    const r = await callOracle(name, { op: 'info' }, { timeoutMs: 20_000 });
    if (r.ok) return { name, available: true, info: r };
    return down(
      `${spec.label} oracle answered info with ${r.error.type}: ${r.error.message ?? ''} (needs ${spec.needs.kind} ${spec.needs.name})`,
    );
  } catch (e) {
    return down(e instanceof Error ? e.message : String(e));
  }
}

/** True when running in CI, where a missing oracle must fail the suite instead of skipping. */
export const IN_CI =
  process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
