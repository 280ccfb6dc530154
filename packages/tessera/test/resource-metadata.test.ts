// RFC 9728 protected-resource metadata: the document builder and the well-known URL (§3.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protectedResourceMetadata, protectedResourceMetadataURL } from 'tessera-jwt/fetch';
import * as express from 'tessera-jwt/express';
import * as fastify from 'tessera-jwt/fastify';
import * as hono from 'tessera-jwt/hono';

test('builds the RFC 9728 §2 document from its input', () => {
  const doc = protectedResourceMetadata({
    resource: 'https://api.example.com',
    authorizationServers: ['https://id.example.com'],
    scopesSupported: ['read:orders'],
    resourceName: 'Orders API',
    resourceDocumentation: 'https://api.example.com/docs',
  });
  assert.deepEqual(doc, {
    resource: 'https://api.example.com',
    authorization_servers: ['https://id.example.com'],
    bearer_methods_supported: ['header'],
    scopes_supported: ['read:orders'],
    resource_name: 'Orders API',
    resource_documentation: 'https://api.example.com/docs',
  });
  assert.deepEqual(
    protectedResourceMetadata({
      resource: 'http://127.0.0.1:8080/v1',
      authorizationServers: ['http://127.0.0.1:8080'],
      bearerMethodsSupported: ['header', 'query'],
      extra: { dpop_bound_access_tokens_required: false },
    }),
    {
      resource: 'http://127.0.0.1:8080/v1',
      authorization_servers: ['http://127.0.0.1:8080'],
      bearer_methods_supported: ['header', 'query'],
      dpop_bound_access_tokens_required: false,
    },
  );
});

test('refuses malformed input with a TypeError', () => {
  const ok = { resource: 'https://api.example.com', authorizationServers: ['https://id.example.com'] };
  for (const bad of [
    { ...ok, resource: 'api.example.com' },
    { ...ok, resource: 'https://api.example.com/?x=1' },
    { ...ok, resource: 'https://api.example.com/#f' },
    { ...ok, authorizationServers: [] },
    { ...ok, authorizationServers: ['not a url'] },
    { ...ok, bearerMethodsSupported: ['cookie'] },
    { ...ok, scopesSupported: [''] },
    { ...ok, resourceName: 1 },
    { ...ok, authorisationServers: ['https://id.example.com'] },
  ])
    assert.throws(() => protectedResourceMetadata(bad as never), TypeError, JSON.stringify(bad));
});

test('the well-known URL puts /.well-known/oauth-protected-resource before the path (§3.1)', () => {
  assert.equal(
    protectedResourceMetadataURL('https://api.example.com'),
    'https://api.example.com/.well-known/oauth-protected-resource',
  );
  assert.equal(
    protectedResourceMetadataURL('https://api.example.com/'),
    'https://api.example.com/.well-known/oauth-protected-resource',
  );
  assert.equal(
    protectedResourceMetadataURL('https://api.example.com:8443/v1/orders'),
    'https://api.example.com:8443/.well-known/oauth-protected-resource/v1/orders',
  );
  assert.throws(() => protectedResourceMetadataURL('/relative'), TypeError);
});

test('every adapter entry point exports the same helpers', () => {
  for (const entry of [express, fastify, hono]) {
    assert.equal(entry.protectedResourceMetadata, protectedResourceMetadata);
    assert.equal(entry.protectedResourceMetadataURL, protectedResourceMetadataURL);
  }
});
