// The debugger page: decode as you type (in the browser), verify on request (POST /debugger/verify to
// this same origin — the Content-Security-Policy allows no other), and the login demo.
import { decodeToken, TokenDecodeError } from './decode.js';
import { duration, warningsFor } from './claims.js';
import { clear, el, renderJSON, renderMembers, renderWarnings } from './render.js';
import { setUpDemo } from './demo.js';

const $ = (id) => document.getElementById(id);
const nowSeconds = () => Math.floor(Date.now() / 1000);

$('origin').textContent = location.origin;

function showDecoded({ keepResult = false } = {}) {
  const text = $('token').value;
  const summary = $('token-summary');
  summary.className = 'summary';
  if (!keepResult) {
    $('verify-result').className = 'result';
    $('verify-result').replaceChildren();
  }
  if (text.trim() === '') {
    summary.textContent = '';
    for (const id of ['header-json', 'payload-json']) clear($(id));
    renderMembers($('header-table'), undefined);
    renderMembers($('claims-table'), undefined);
    renderWarnings($('warnings'), []);
    return;
  }
  let decoded;
  try {
    decoded = decodeToken(text);
  } catch (err) {
    if (!(err instanceof TokenDecodeError)) throw err;
    summary.textContent = `Cannot decode: ${err.message}`;
    summary.className = 'summary bad';
    for (const id of ['header-json', 'payload-json']) clear($(id));
    renderMembers($('header-table'), undefined);
    renderMembers($('claims-table'), undefined);
    renderWarnings($('warnings'), []);
    return;
  }
  const now = nowSeconds();
  renderJSON($('header-json'), decoded.header);
  renderMembers($('header-table'), decoded.header, 'header', now);
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

async function verify() {
  const target = $('verify-result');
  const useServerKeys = $('key-source-server').checked;
  const body = {
    token: $('token').value,
    useServerKeys,
    ...(useServerKeys ? {} : { key: $('key').value }),
    algorithms: list($('algorithms').value),
    audience: list($('audience').value),
    issuer: list($('issuer').value),
  };
  target.className = 'result pending';
  target.replaceChildren('Verifying…');
  let response;
  let result;
  try {
    response = await fetch('/debugger/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    result = await response.json();
  } catch (err) {
    target.className = 'result bad';
    target.replaceChildren(`The local server did not answer: ${err.message}`);
    return;
  }
  if (!response.ok) {
    target.className = 'result bad';
    target.replaceChildren(
      el('strong', { 'data-testid': 'verify-status' }, 'Cannot verify'),
      ` — ${result.error_description ?? result.error}`,
    );
    return;
  }
  const notes = el('ul', { class: 'notes' }, ...result.notes.map((n) => el('li', {}, n)));
  if (result.valid) {
    target.className = 'result good';
    target.replaceChildren(
      el('strong', { 'data-testid': 'verify-status' }, result.kind === 'JWE' ? '✓ Decrypted' : '✓ Signature verified'),
      ' — and the claims checks below passed.',
      notes,
    );
    if (result.kind === 'JWE' && result.payload) {
      renderJSON($('payload-json'), result.payload);
      renderMembers($('claims-table'), result.payload, 'payload', nowSeconds());
    }
    if (result.innerToken)
      target.append(
        el('p', {}, 'Inner JWS (paste it above to verify its signature):'),
        el('pre', { class: 'inner' }, result.innerToken),
      );
  } else {
    const e = result.error;
    target.className = 'result bad';
    target.replaceChildren(
      el('strong', { 'data-testid': 'verify-status' }, '✗ Invalid'),
      ' — ',
      el('code', { 'data-testid': 'verify-code' }, e.code),
      ` (${e.name}${e.claim ? `, claim "${e.claim}"` : ''}): ${e.message}`,
      // replaceChildren() turns undefined into the text "undefined": leave the optional line out instead.
      ...(e.expiredAt ? [el('div', {}, `expired at ${e.expiredAt}`)] : []),
      notes,
    );
  }
}

$('token').addEventListener('input', () => showDecoded());
$('verify').addEventListener('click', () => void verify());
for (const id of ['key-source-pasted', 'key-source-server']) {
  $(id).addEventListener('change', () => {
    $('key').disabled = $('key-source-server').checked;
  });
}
// Relative times go stale: refresh them every 15 s.
setInterval(() => {
  if ($('token').value.trim() !== '' && document.visibilityState === 'visible') showDecoded({ keepResult: true });
}, 15_000);

setUpDemo({
  inspect(token) {
    $('token').value = token;
    $('key-source-server').checked = true;
    $('key').disabled = true;
    showDecoded();
    $('token').scrollIntoView({ behavior: 'smooth', block: 'start' });
  },
});
showDecoded();
