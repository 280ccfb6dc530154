// Encode / sign in the browser with Tessera's web signJWT: edit the header and payload JSON, pick the
// algorithm, sign with a pasted secret, PEM or JWK, or with a key generated in this page. The token
// updates as you type. The key never leaves the page.
import { signJWT } from '/lib/tessera-jwt/web/index.js';
import { describeFailure } from './verify.js';
import { generateKeyText, parseKeyText } from './keys.js';
import { el } from './render.js';

const $ = (id) => document.getElementById(id);

function parseObject(text, what) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw { code: 'JSON', name: what, message: `The ${what} is not valid JSON` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw { code: 'JSON', name: what, message: `The ${what} must be a JSON object` };
  return value;
}

function showFailure(target, failure) {
  target.className = 'result bad';
  target.replaceChildren(
    el('strong', { 'data-testid': 'sign-status' }, '✗ Cannot sign'),
    ' — ',
    el('code', { 'data-testid': 'sign-code' }, failure.code),
    ': ',
    el('span', { 'data-testid': 'sign-message' }, failure.message),
  );
}

export function setUpSigner({ load }) {
  const target = $('sign-result');
  let generation = 0;
  let lastVerifyKey;

  const sign = async () => {
    const mine = ++generation;
    let header;
    let payload;
    try {
      header = parseObject($('sign-header').value, 'header');
      payload = parseObject($('sign-payload').value, 'payload');
    } catch (failure) {
      $('sign-token').value = '';
      showFailure(target, failure);
      return;
    }
    const algorithm = $('sign-alg').value;
    // alg comes from the algorithm picker, typ and kid are options; every other member goes in as written.
    const { alg: _alg, typ, kid, ...members } = header;
    let token;
    try {
      const { key, description } = await parseKeyText($('sign-key').value, {
        base64url: $('sign-key-b64').checked,
        usage: 'sign',
      });
      token = await signJWT(payload, key, {
        algorithm,
        typ: typeof typ === 'string' ? typ : null,
        ...(typeof kid === 'string' ? { kid } : {}),
        header: members,
        issuedAt: false, // the payload is signed as written
      });
      if (mine !== generation) return; // a newer edit is being signed
      $('sign-token').value = token;
      target.className = 'result good';
      target.replaceChildren(
        el('strong', { 'data-testid': 'sign-status' }, `✓ Signed with ${algorithm}`),
        ` using ${description}.`,
      );
    } catch (err) {
      if (mine !== generation) return;
      $('sign-token').value = '';
      showFailure(target, describeFailure(err));
    }
  };

  let timer;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void sign(), 150);
  };
  for (const id of ['sign-header', 'sign-payload', 'sign-key']) $(id).addEventListener('input', soon);
  $('sign-key-b64').addEventListener('change', soon);
  $('sign-alg').addEventListener('change', () => {
    // Keep the header's "alg" in step with the chosen algorithm.
    try {
      const header = parseObject($('sign-header').value, 'header');
      header.alg = $('sign-alg').value;
      $('sign-header').value = JSON.stringify(header, null, 2);
    } catch {
      // the header is being edited: leave it to the user
    }
    soon();
  });
  $('sign-header').addEventListener('input', () => {
    try {
      const { alg } = parseObject($('sign-header').value, 'header');
      if (typeof alg === 'string' && [...$('sign-alg').options].some((o) => o.value === alg)) $('sign-alg').value = alg;
    } catch {
      // not JSON yet
    }
  });
  $('sign-generate').addEventListener('click', async () => {
    clearTimeout(timer); // this click signs at once: no older edit may re-sign after it
    try {
      const generated = await generateKeyText($('sign-alg').value);
      $('sign-key').value = generated.signKeyText;
      $('sign-key-b64').checked = generated.base64url;
      lastVerifyKey = generated;
      await sign();
    } catch (err) {
      showFailure(target, describeFailure(err));
    }
  });
  $('sign-load').addEventListener('click', () => {
    const token = $('sign-token').value;
    if (!token) return;
    const generated = lastVerifyKey && lastVerifyKey.signKeyText === $('sign-key').value ? lastVerifyKey : undefined;
    load(token, {
      text: generated ? generated.verifyKeyText : $('sign-key').value,
      base64url: $('sign-key-b64').checked,
      alg: $('sign-alg').value,
    });
  });
  $('sign').addEventListener('click', () => {
    clearTimeout(timer);
    void sign();
  });
}
