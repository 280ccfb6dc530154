// The login demo: the whole OAuth flow against this server's own endpoints, one step per button, each
// logged with the request, the status and the RFC 6749/6750 error when there is one. Tokens live only
// in this page's memory (not localStorage): reload and they are gone.
import { el } from './render.js';

const CLIENT_ID = 'tessera-debugger';
const $ = (id) => document.getElementById(id);

export function setUpDemo({ inspect }) {
  const state = { access: undefined, refresh: undefined, previousRefresh: undefined };
  const buttons = ['demo-userinfo', 'demo-refresh', 'demo-replay', 'demo-revoke', 'demo-inspect'];

  const update = () => {
    $('demo-userinfo').disabled = !state.access;
    $('demo-refresh').disabled = !state.refresh;
    $('demo-replay').disabled = !state.previousRefresh;
    $('demo-revoke').disabled = !state.refresh && !state.access;
    $('demo-inspect').disabled = !state.access;
  };

  const short = (token) => (token ? `${token.slice(0, 12)}…` : '');

  const log = (step, response, body, explanation) => {
    const ok = response.ok;
    const error =
      body && typeof body === 'object' && body.error
        ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`
        : '';
    $('demo-log').append(
      el(
        'li',
        { class: ok ? 'ok' : 'fail', 'data-step': step },
        el('span', { class: 'step' }, step),
        ' → ',
        el('span', { class: 'status', 'data-testid': `status-${step}` }, String(response.status)),
        error ? el('span', { class: 'error' }, ` ${error}`) : undefined,
        explanation ? el('div', { class: 'explain' }, explanation) : undefined,
      ),
    );
  };

  const call = async (path, init) => {
    const response = await fetch(path, { credentials: 'omit', cache: 'no-store', ...init });
    const text = await response.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { response, body };
  };
  const form = (params) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });

  const run = (fn) => async (event) => {
    event?.preventDefault();
    for (const id of [...buttons, 'demo-login']) $(id).disabled = true;
    try {
      await fn();
    } catch (err) {
      $('demo-log').append(el('li', { class: 'fail' }, `network error: ${err.message}`));
    } finally {
      $('demo-login').disabled = false;
      update();
    }
  };

  $('demo-form').addEventListener(
    'submit',
    run(async () => {
      const { response, body } = await call('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: $('demo-username').value,
          password: $('demo-password').value,
          client_id: CLIENT_ID,
        }),
      });
      if (response.ok) {
        Object.assign(state, { access: body.access_token, refresh: body.refresh_token, previousRefresh: undefined });
        log(
          'POST /login',
          response,
          body,
          `access token ${short(body.access_token)} (expires in ${body.expires_in} s), refresh token ${short(body.refresh_token)}, scope "${body.scope ?? ''}"`,
        );
      } else log('POST /login', response, body);
    }),
  );

  $('demo-userinfo').addEventListener(
    'click',
    run(async () => {
      const { response, body } = await call('/userinfo', { headers: { authorization: `Bearer ${state.access}` } });
      const challenge = response.headers.get('www-authenticate');
      log(
        'GET /userinfo',
        response,
        body,
        response.ok ? `hello ${body.name ?? body.sub}` : challenge ? `WWW-Authenticate: ${challenge}` : '',
      );
    }),
  );

  $('demo-refresh').addEventListener(
    'click',
    run(async () => {
      const used = state.refresh;
      const { response, body } = await call(
        '/token',
        form({ grant_type: 'refresh_token', refresh_token: used, client_id: CLIENT_ID }),
      );
      if (response.ok) {
        Object.assign(state, { access: body.access_token, refresh: body.refresh_token, previousRefresh: used });
        log(
          'POST /token (refresh)',
          response,
          body,
          `rotated: new refresh token ${short(body.refresh_token)}; the old one is now used up`,
        );
      } else {
        log('POST /token (refresh)', response, body);
        state.refresh = undefined;
      }
    }),
  );

  $('demo-replay').addEventListener(
    'click',
    run(async () => {
      const { response, body } = await call(
        '/token',
        form({ grant_type: 'refresh_token', refresh_token: state.previousRefresh, client_id: CLIENT_ID }),
      );
      if (response.ok) {
        // Within the server's refresh grace period (TESSERA_REFRESH_GRACE) a retry gets the same successor.
        Object.assign(state, { access: body.access_token, refresh: body.refresh_token });
        log(
          'POST /token (replay)',
          response,
          body,
          `within the refresh grace period: a retry gets the same successor ${short(body.refresh_token)}; replay after it to see reuse detection`,
        );
        return;
      }
      log(
        'POST /token (replay)',
        response,
        body,
        'reuse detected: the whole grant is revoked (RFC 9700 §4.14.2) — the current refresh and access tokens die too',
      );
      state.previousRefresh = undefined;
    }),
  );

  $('demo-revoke').addEventListener(
    'click',
    run(async () => {
      // RFC 7009: revoking the refresh token ends the grant, and with it the access tokens of that grant.
      const token = state.refresh ?? state.access;
      const hint = state.refresh ? 'refresh_token' : 'access_token';
      const { response, body } = await call('/revoke', form({ token, token_type_hint: hint, client_id: CLIENT_ID }));
      log(
        'POST /revoke',
        response,
        body,
        response.ok
          ? `revoked the ${hint.replace('_', ' ')}; call /userinfo again to see the access token refused`
          : '',
      );
      if (response.ok) {
        state.refresh = undefined;
        state.previousRefresh = undefined;
      }
    }),
  );

  $('demo-inspect').addEventListener('click', () => inspect(state.access));
  update();
}
