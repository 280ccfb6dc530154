// The debugger page: decode as you type, verify and sign with Tessera's own web build — all in this
// page (verify.js, sign.js) — and the login demo. No token, secret or key is sent to any server; the
// page fetches only JWK Sets (which carry no secret) and the demo's own endpoints.
import { decodeToken, TokenDecodeError } from './decode.js';
import { duration, warningsFor } from './claims.js';
import { clear, el, renderJSON, renderMembers, renderWarnings } from './render.js';
import { setUpDemo } from './demo.js';
import { decryptInPage, verifyInPage } from './verify.js';
import { setUpSigner } from './sign.js';

const $ = (id) => document.getElementById(id);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
const SERVER_JWKS = `${location.origin}/.well-known/jwks.json`;

$('origin').textContent = SERVER_JWKS;

// The algorithms allowlist: one checkbox each. Until the user picks, it follows the token's "alg".
let algorithmsChosen = false;
for (const alg of ALGORITHMS) {
  const box = el('input', { type: 'checkbox', id: `alg-${alg}`, value: alg });
  box.addEventListener('change', () => {
    algorithmsChosen = true;
    $('algorithms-hint').textContent = '(chosen by you)';
  });
  $('algorithms').append(el('label', { class: 'alg' }, box, ` ${alg}`));
}
for (const alg of ALGORITHMS) $('sign-alg').append(el('option', { value: alg }, alg));
$('sign-alg').value = 'HS256';

function followTokenAlgorithm(alg) {
  if (algorithmsChosen) return;
  for (const a of ALGORITHMS) $(`alg-${a}`).checked = a === alg;
  $('algorithms-hint').textContent = ALGORITHMS.includes(alg)
    ? "(the token's alg — pin yours in production)"
    : '(choose: the token names none this page knows)';
}

let decodedNow;

function showDecoded({ keepResult = false } = {}) {
  const text = $('token').value;
  const summary = $('token-summary');
  summary.className = 'summary';
  decodedNow = undefined;
  if (!keepResult) {
    $('verify-result').className = 'result';
    $('verify-result').replaceChildren();
  }
  const reset = () => {
    for (const id of ['header-json', 'payload-json', 'signature-text']) clear($(id));
    renderMembers($('header-table'), undefined);
    renderMembers($('claims-table'), undefined);
    renderWarnings($('warnings'), []);
  };
  if (text.trim() === '') {
    summary.textContent = '';
    reset();
    return;
  }
  let decoded;
  try {
    decoded = decodeToken(text);
  } catch (err) {
    if (!(err instanceof TokenDecodeError)) throw err;
    summary.textContent = `Cannot decode: ${err.message}`;
    summary.className = 'summary bad';
    reset();
    return;
  }
  decodedNow = decoded;
  const now = nowSeconds();
  renderJSON($('header-json'), decoded.header);
  renderMembers($('header-table'), decoded.header, 'header', now);
  followTokenAlgorithm(decoded.header.alg);
  const parts = decoded.token.split('.');
  $('signature-text').textContent = decoded.kind === 'JWS' ? parts[2] || '(empty)' : '(a JWE: see the tag, part 5)';
  if (decoded.kind === 'JWE') {
    $('payload-json').textContent = `(encrypted: ${decoded.ciphertextBytes.length} bytes of ciphertext)`;
    renderMembers($('claims-table'), undefined);
    summary.textContent = `JWE · ${decoded.header.alg} + ${decoded.header.enc} · not decrypted`;
  } else if (decoded.payload) {
    renderJSON($('payload-json'), decoded.payload);
    renderMembers($('claims-table'), decoded.payload, 'payload', now);
    const p = decoded.payload;
    const life =
      typeof p.exp === 'number'
        ? p.exp > now
          ? `expires in ${duration(p.exp - now)}`
          : `expired ${duration(now - p.exp)} ago`
        : 'never expires';
    summary.textContent = `JWS · ${decoded.header.alg} · ${life} · signature not verified yet`;
  } else {
    $('payload-json').textContent = decoded.payloadText ?? '';
    renderMembers($('claims-table'), undefined);
    summary.textContent = `JWS · ${decoded.header.alg} · payload is not JSON`;
  }
  renderWarnings($('warnings'), warningsFor(decoded, now));
}

function list(value) {
  const items = value.split(/[\s,]+/).filter(Boolean);
  return items.length ? items : undefined;
}

// An error line: the code, then the library's message exactly — every part a real node, none optional
// (replaceChildren() would print an absent one as the text "undefined").
function failureLine(failure, testid) {
  return el(
    'div',
    { class: 'failure', 'data-testid': testid },
    el('code', { 'data-testid': `${testid}-code` }, failure.code),
    ': ',
    el('span', { 'data-testid': `${testid}-message` }, failure.message),
  );
}

function keySource() {
  if ($('key-source-server').checked) return { kind: 'jwks', url: SERVER_JWKS };
  if ($('key-source-url').checked) return { kind: 'jwks', url: $('jwks-url').value.trim() };
  return { kind: 'pasted', text: $('key').value, base64url: $('key-b64').checked };
}

async function verify() {
  const target = $('verify-result');
  if (!decodedNow) {
    target.className = 'result bad';
    target.replaceChildren(el('strong', { 'data-testid': 'verify-status' }, 'Paste a token that decodes first'));
    return;
  }
  if (decodedNow.kind === 'JWE') {
    target.className = 'result pending';
    target.replaceChildren('Decrypting in this page…');
    const result = await decryptInPage({ token: decodedNow.token, header: decodedNow.header, keySource: keySource() });
    if (result.error) {
      target.className = 'result bad';
      target.replaceChildren(
        el('strong', { 'data-testid': 'verify-status' }, 'Cannot decrypt'),
        failureLine(result.error, 'verify-error'),
      );
      return;
    }
    target.className = 'result good';
    target.replaceChildren(
      el(
        'strong',
        { 'data-testid': 'verify-status' },
        `✓ Decrypted (${decodedNow.header.alg} + ${decodedNow.header.enc})`,
      ),
      ` with ${result.key}. Only the token's own algorithms were allowed: pin yours in production.`,
      el(
        'pre',
        { class: 'json', 'data-testid': 'decrypted' },
        result.claims ? JSON.stringify(result.claims, null, 2) : result.plaintext,
      ),
    );
    return;
  }
  const algorithms = ALGORITHMS.filter((a) => $(`alg-${a}`).checked);
  const leeway = Math.max(0, Math.floor(Number($('leeway').value) || 0));
  target.className = 'result pending';
  target.replaceChildren('Verifying in this page…');
  if (algorithms.length === 0) {
    target.className = 'result bad';
    target.replaceChildren(el('strong', { 'data-testid': 'verify-status' }, 'Choose at least one algorithm'));
    return;
  }
  const result = await verifyInPage({
    token: decodedNow.token,
    payload: decodedNow.payload,
    keySource: keySource(),
    algorithms,
    audience: list($('audience').value),
    issuer: list($('issuer').value),
    leeway,
  });
  if (result.error) {
    target.className = 'result bad';
    target.replaceChildren(
      el('strong', { 'data-testid': 'verify-status' }, 'Cannot verify'),
      failureLine(result.error, 'verify-error'),
    );
    return;
  }
  const rows = [
    el(
      'li',
      { class: result.signature.ok ? 'pass' : 'fail', 'data-check': 'signature' },
      el('span', { class: 'mark' }, result.signature.ok ? '✓' : '✗'),
      ` signature (${algorithms.join(', ')}) with ${result.key}`,
      ...(result.signature.ok ? [] : [failureLine(result.signature.error, 'verify-error')]),
    ),
  ];
  for (const check of result.checks) {
    rows.push(
      el(
        'li',
        { class: check.skipped ? 'skip' : check.ok ? 'pass' : 'fail', 'data-check': check.claim },
        el('span', { class: 'mark' }, check.skipped ? '–' : check.ok ? '✓' : '✗'),
        ` ${check.claim}: ${check.note}`,
        ...(check.error ? [failureLine(check.error, `check-${check.claim}`)] : []),
      ),
    );
  }
  if (!result.signature.ok)
    rows.push(el('li', { class: 'skip' }, '– claims: not checked, the signature did not verify'));
  const valid = result.verdict?.ok === true;
  target.className = valid ? 'result good' : 'result bad';
  target.replaceChildren(
    el(
      'strong',
      { 'data-testid': 'verify-status' },
      valid
        ? '✓ Valid: signature verified and every claim check passed'
        : result.signature.ok
          ? '✗ Invalid claims'
          : '✗ Invalid signature',
    ),
    el('ul', { class: 'checks' }, ...rows),
  );
}

$('token').addEventListener('input', () => showDecoded());
$('verify').addEventListener('click', () => void verify());
const syncKeySource = () => {
  const pasted = $('key-source-pasted').checked;
  $('key').disabled = !pasted;
  $('key-b64').disabled = !pasted;
  $('jwks-url').disabled = !$('key-source-url').checked;
};
for (const id of ['key-source-pasted', 'key-source-server', 'key-source-url'])
  $(id).addEventListener('change', syncKeySource);
// Relative times go stale: refresh them every 15 s.
setInterval(() => {
  if ($('token').value.trim() !== '' && document.visibilityState === 'visible') showDecoded({ keepResult: true });
}, 15_000);

function inspect(token, key) {
  $('token').value = token;
  if (key) {
    $('key-source-pasted').checked = true;
    $('key').value = key.text;
    $('key-b64').checked = key.base64url;
  } else $('key-source-server').checked = true;
  syncKeySource();
  showDecoded();
  $('token').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// The demo's access token is for this server's API: expect its audience and issuer, as /userinfo does
// (RFC 9728 metadata: "resource" and "authorization_servers"; a GET that carries nothing secret).
async function inspectServerToken(token) {
  inspect(token);
  try {
    const response = await fetch('/.well-known/oauth-protected-resource', { credentials: 'omit', cache: 'no-store' });
    const metadata = await response.json();
    if (typeof metadata.resource === 'string') $('audience').value = metadata.resource;
    const [issuer] = Array.isArray(metadata.authorization_servers) ? metadata.authorization_servers : [];
    if (typeof issuer === 'string') $('issuer').value = issuer;
  } catch {
    // leave the expectations to the user
  }
}

setUpSigner({ load: inspect });
setUpDemo({ inspect: (token) => void inspectServerToken(token) });
showDecoded();
