// tessera decode [TOKEN|-]: the header and claims of a JWS/JWT (or the protected header of a JWE),
// with dates and warnings. Nothing is verified, and the output says so. Loads no crypto (cold start).
import { decodeJWT, decodeProtectedHeader } from '../../jwt/decode.js';
import { JWTError } from '../../errors.js';
import { parse } from '../args.js';
import { EXIT } from '../exit.js';
import { readToken } from '../io.js';
import { printJSON, stdout } from '../output.js';
import { analyseTimes, analyseWarnings, renderReport, timesObject } from '../report.js';
import { resolveNow } from '../time.js';

export const help = `tessera decode — show a token's header and claims (NO verification)

Usage
  tessera decode [TOKEN | -] [--json] [--now DATE]

  The token is the argument, or standard input with "-" or when input is piped. A "Bearer " prefix is
  ignored. A JWE (five segments) shows its protected header; its payload stays encrypted.

Flags
  --json        machine-readable output: type, header, payload, signature, times, warnings
  --now DATE    the clock for "expires in …" (ISO 8601 or NumericDate seconds; also TESSERA_NOW)
  -h, --help    this help

Shown
  Dates (iat, nbf, exp, auth_time) as ISO 8601 with "expires in 14 minutes" / "expired 3 hours ago".
  Warnings: "alg": "none", no "exp", a lifetime over 24 hours, "jku"/"x5u"/"jwk"/"x5c" in the header,
  time claims that are not numbers.

Exit codes
  0 decoded (even if expired: decode does not judge)   1 not a well-formed token   2 usage error

Examples
  tessera decode eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMifQ.sig…
  echo "$TOKEN" | tessera decode
  tessera decode "$TOKEN" --json | jq -r .payload.sub
  TESSERA_NOW=2026-01-01T00:00:00Z tessera decode "$TOKEN"
`;

const FLAGS = { json: { type: 'boolean' }, now: { type: 'string' } } as const;

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('decode', argv, FLAGS, [0, 1]);
  const json = args.booleans.has('json');
  const now = resolveNow(args.strings.get('now'), 'decode').getTime() / 1000;
  const token = await readToken(args.positionals[0], 'decode');
  try {
    if (token.split('.').length === 5) {
      const header = decodeProtectedHeader(token) as Record<string, unknown>;
      const warnings = analyseWarnings(header, undefined, now);
      if (json) printJSON({ type: 'JWE', verified: false, header, warnings });
      else {
        stdout().line(
          renderReport(stdout(), {
            headerTitle: 'Protected header (JWE)',
            header,
            payloadNote: 'The payload is encrypted; decode does not decrypt it.',
            times: [],
            warnings,
          }),
        );
      }
      return EXIT.OK;
    }
    const { header, payload, signature } = decodeJWT(token);
    const times = analyseTimes(payload, now);
    const warnings = analyseWarnings(header, payload, now);
    if (json) {
      printJSON({
        type: 'JWS',
        verified: false,
        header,
        payload,
        signature: Buffer.from(signature).toString('base64url'),
        times: timesObject(times),
        warnings,
      });
      return EXIT.OK;
    }
    const out = stdout();
    const footer =
      signature.length === 0
        ? out.paint('yellow', 'Signature: none')
        : `Signature: ${signature.length} bytes, ${out.paint('yellow', 'NOT verified')} (tessera verify checks it)`;
    out.line(renderReport(out, { headerTitle: 'Header', header, payload, times, warnings, footer }));
    return EXIT.OK;
  } catch (err) {
    if (!(err instanceof JWTError)) throw err;
    const { printTokenError } = await import('../token-error.js'); // the failure path only (cold start)
    return printTokenError(err, json, 'decode');
  }
}
