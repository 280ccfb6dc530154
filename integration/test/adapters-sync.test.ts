// The Express and Fastify adapters take no promise and no extra tick when verification is synchronous
// (a static key, synchronous hooks), and fall back to a promise as soon as one step is asynchronous.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expressAuth, requireScopes } from 'tessera-jwt/express';
import { fastifyAuth } from 'tessera-jwt/fastify';
import { AUDIENCE, ISSUER, tokens, trusted } from './helpers/tokens.js';

const base = { key: trusted.publicKey, algorithms: ['ES256'], issuer: ISSUER, audience: AUDIENCE };

function expressPair(authorization?: string) {
  const req = { headers: authorization === undefined ? {} : { authorization }, url: '/orders' } as {
    headers: Record<string, string>;
    url: string;
    auth?: unknown;
  };
  const res = { statusCode: 200, headers: {} as Record<string, string>, body: undefined as string | undefined };
  const response = {
    get statusCode() {
      return res.statusCode;
    },
    set statusCode(value: number) {
      res.statusCode = value;
    },
    setHeader: (name: string, value: string) => {
      res.headers[name] = value;
    },
    end: (chunk: string) => {
      res.body = chunk;
    },
  };
  return { req, res, response };
}

function fastifyPair(authorization?: string) {
  const request = {
    headers: authorization === undefined ? {} : { authorization },
    raw: {},
    url: '/orders',
  } as { headers: Record<string, string>; raw: { rawHeaders?: string[] }; url: string; auth?: unknown };
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as string | undefined };
  const reply = {
    code: (status: number) => {
      sent.status = status;
      return reply;
    },
    header: (name: string, value: string) => {
      sent.headers[name] = value;
      return reply;
    },
    send: (payload: string) => {
      sent.body = payload;
      return reply;
    },
  };
  return { request, reply, sent };
}

describe('express: the synchronous path', () => {
  it('calls next() before returning when the token verifies synchronously', () => {
    const auth = expressAuth(base);
    const { req, response } = expressPair(`Bearer ${tokens.valid()}`);
    let called = 0;
    const returned = auth(req, response, () => called++);
    assert.equal(called, 1);
    assert.equal(returned, undefined);
    assert.equal((req.auth as { sub: string }).sub, 'user-42');
  });

  it('answers a refusal synchronously, without calling next()', () => {
    const auth = expressAuth(base);
    const { req, res, response } = expressPair('Bearer not.a.token');
    let called = 0;
    assert.equal(
      auth(req, response, () => called++),
      undefined,
    );
    assert.equal(called, 0);
    assert.equal(res.statusCode, 401);
    assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/);
  });

  it('returns a promise, and calls next() once it settles, when a hook is asynchronous', async () => {
    const auth = expressAuth({ ...base, isRevoked: async () => false });
    const { req, response } = expressPair(`Bearer ${tokens.valid()}`);
    let called = 0;
    const returned = auth(req, response, () => called++);
    assert.equal(typeof returned?.then, 'function');
    assert.equal(called, 0);
    await returned;
    assert.equal(called, 1);
  });

  it('an asynchronous guard after a synchronous verification still refuses', async () => {
    const auth = expressAuth(base);
    const { req, res, response } = expressPair(`Bearer ${tokens.valid()}`);
    let called = 0;
    const guard = { check: async () => false };
    await auth.require(guard)(req, response, () => called++);
    assert.equal(called, 0);
    assert.equal(res.statusCode, 403);
  });
});

describe('fastify: the hook with and without done', () => {
  it('calls done() at once when the token verifies synchronously', () => {
    const auth = fastifyAuth(base);
    const { request, reply } = fastifyPair(`Bearer ${tokens.valid()}`);
    let done = 0;
    assert.equal(
      auth.hook(request, reply, () => done++),
      undefined,
    );
    assert.equal(done, 1);
    assert.equal((request.auth as { sub: string }).sub, 'user-42');
  });

  it('sends a refusal and never calls done()', () => {
    const auth = fastifyAuth(base);
    const { request, reply, sent } = fastifyPair();
    let done = 0;
    auth.hook(request, reply, () => done++);
    assert.equal(done, 0);
    assert.equal(sent.status, 401);
    assert.equal(sent.headers['www-authenticate'], 'Bearer');
  });

  it('returns a promise, and does not call done(), when a step is asynchronous', async () => {
    const auth = fastifyAuth({ ...base, isRevoked: async () => true });
    const { request, reply, sent } = fastifyPair(`Bearer ${tokens.valid()}`);
    let done = 0;
    const returned = auth.hook(request, reply, () => done++);
    assert.equal(typeof returned?.then, 'function');
    assert.equal(await returned, reply);
    assert.equal(done, 0);
    assert.equal(sent.status, 401);
  });

  it('called without done (user code awaiting it), always returns a promise', async () => {
    const auth = fastifyAuth(base);
    const ok = fastifyPair(`Bearer ${tokens.valid()}`);
    assert.equal(await auth.hook(ok.request, ok.reply), undefined);
    const refused = fastifyPair(`Bearer ${tokens.valid()}`);
    assert.equal(await auth.require(requireScopes('admin:all'))(refused.request, refused.reply), refused.reply);
    assert.equal(refused.sent.status, 403);
  });
});
