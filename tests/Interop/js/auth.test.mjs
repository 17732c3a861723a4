// Globus Auth through @globus/sdk with the emulator's seeded confidential client: client-credentials tokens
// (auth.oauth2.token.token), introspect, validate, revoke, userinfo and identities, and the OAuth error bodies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, ALICE, BOB, CLIENT_ID, FLOWS_SCOPE_ALL } from './support/emulator.mjs';

const emulator = await startEmulator();
after(() => emulator.stop());
const { auth, flows } = await import('@globus/sdk');
const { basic, bearer, clientCredentials, managerWith, read } = await import('./support/sdk.mjs');

const VIEW_IDENTITIES = auth.CONFIG.SCOPES.VIEW_IDENTITIES;
let authToken;

before(async () => {
  authToken = await clientCredentials(['openid', 'profile', 'email', VIEW_IDENTITIES]);
});

describe('client credentials', () => {
  test('a token for the Flows scope: resource server flows.globus.org, Bearer, 172800 s', async () => {
    const response = await auth.oauth2.token.token({
      payload: { grant_type: 'client_credentials', scope: FLOWS_SCOPE_ALL },
      headers: { Authorization: basic() },
    });
    const r = await read(response);
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^application\/json/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(r.body.resource_server, 'flows.globus.org');
    assert.equal(r.body.scope, FLOWS_SCOPE_ALL);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 172800);
    assert.deepEqual(r.body.other_tokens, []);
    assert.equal(r.body.refresh_token ?? null, null);
    const flowsList = await read(await flows.flows.getAll({ headers: bearer(r.body) }));
    assert.equal(flowsList.status, 200);
  });

  test('scopes of two resource servers: one token each, the second in other_tokens, id_token with openid', async () => {
    const token = await clientCredentials(['openid', 'email', FLOWS_SCOPE_ALL]);
    assert.equal(token.resource_server, 'auth.globus.org');
    assert.deepEqual(token.scope.split(' ').sort(), ['email', 'openid']);
    assert.equal(token.other_tokens.length, 1);
    assert.equal(token.other_tokens[0].resource_server, 'flows.globus.org');
    assert.equal(token.other_tokens[0].scope, FLOWS_SCOPE_ALL);
    assert.equal(token.id_token.split('.').length, 3);
    // The SDK's token holder files both tokens by resource server.
    const manager = managerWith(token);
    assert.equal(manager.tokens.auth.access_token, token.access_token);
    assert.equal(manager.tokens.flows.access_token, token.other_tokens[0].access_token);
    assert.equal(manager.user.sub, CLIENT_ID);
    assert.equal(manager.user.iss, 'https://auth.globus.org');
    assert.equal(manager.user.aud, CLIENT_ID);
  });

  test('a wrong secret: 401 invalid_client', async () => {
    const r = await read(await auth.oauth2.token.token({
      payload: { grant_type: 'client_credentials', scope: FLOWS_SCOPE_ALL },
      headers: { Authorization: basic(CLIENT_ID, 'not-the-secret') },
    }));
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_client');
  });

  test('an unknown scope: 400 invalid_scope', async () => {
    const r = await read(await auth.oauth2.token.token({
      payload: { grant_type: 'client_credentials', scope: 'https://auth.globus.org/scopes/no-such-service/all' },
      headers: { Authorization: basic() },
    }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'invalid_scope');
  });

  test('an unsupported grant type: 400 unsupported_grant_type', async () => {
    const r = await read(await auth.oauth2.token.token({ payload: { grant_type: 'password' }, headers: { Authorization: basic() } }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'unsupported_grant_type');
  });
});

describe('token introspect, validate and revoke', () => {
  test('introspect of a live token describes it', async () => {
    const token = await clientCredentials([FLOWS_SCOPE_ALL]);
    const r = await read(await auth.oauth2.token.introspect({
      payload: { token: token.access_token, include: 'identity_set' },
      headers: { Authorization: basic() },
    }));
    assert.equal(r.status, 200);
    assert.equal(r.body.active, true);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.scope, FLOWS_SCOPE_ALL);
    assert.equal(r.body.client_id, CLIENT_ID);
    assert.equal(r.body.sub, CLIENT_ID);
    assert.equal(r.body.username, `${CLIENT_ID}@clients.auth.globus.org`);
    assert.deepEqual(r.body.aud, ['flows.globus.org', CLIENT_ID]);
    assert.equal(r.body.iss, 'https://auth.globus.org');
    assert.equal(r.body.exp - r.body.iat, 172800);
    assert.deepEqual(r.body.identity_set, [CLIENT_ID]);
  });

  test('introspect needs the client secret: without it 401 invalid_client', async () => {
    const token = await clientCredentials([FLOWS_SCOPE_ALL]);
    const r = await read(await auth.oauth2.token.introspect({ payload: { token: token.access_token, client_id: CLIENT_ID } }));
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_client');
  });

  test('validate (deprecated in the SDK) tells a live token from an unknown one', async () => {
    const token = await clientCredentials([FLOWS_SCOPE_ALL]);
    const live = await read(await auth.oauth2.token.validate({ payload: { token: token.access_token }, headers: { Authorization: basic() } }));
    assert.equal(live.status, 200);
    assert.deepEqual(live.body, { active: true });
    const unknown = await read(await auth.oauth2.token.validate({ payload: { token: 'no-such-token' }, headers: { Authorization: basic() } }));
    assert.deepEqual(unknown.body, { active: false });
  });

  test('revoke ends a token: introspect then says inactive and Flows answers 401 AUTHENTICATION_ERROR', async () => {
    const token = await clientCredentials([FLOWS_SCOPE_ALL]);
    assert.equal((await read(await flows.flows.getAll({ headers: bearer(token) }))).status, 200);
    const r = await read(await auth.oauth2.token.revoke({ payload: { token: token.access_token }, headers: { Authorization: basic() } }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { active: false });
    const introspected = await read(await auth.oauth2.token.introspect({ payload: { token: token.access_token }, headers: { Authorization: basic() } }));
    assert.deepEqual(introspected.body, { active: false });
    const refused = await read(await flows.flows.getAll({ headers: bearer(token) }));
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'AUTHENTICATION_ERROR');
    assert.equal(refused.body.error.detail, 'Expired or invalid Bearer token');
  });
});

describe('userinfo and identities', () => {
  test('userinfo with an openid profile email token', async () => {
    const r = await read(await auth.oauth2.userinfo({ headers: bearer(authToken) }));
    assert.equal(r.status, 200);
    assert.equal(r.body.sub, CLIENT_ID);
    assert.equal(r.body.preferred_username, `${CLIENT_ID}@clients.auth.globus.org`);
    assert.equal(r.body.name, 'Emulator Confidential Client');
    assert.equal(r.body.identity_provider_display_name, 'Emulator IdP');
    assert.ok('email' in r.body);
  });

  test('userinfo through an AuthorizationManager holding the token', async () => {
    const manager = managerWith(authToken);
    // userinfo declares no scope in the SDK, so the manager adds no header; the caller passes the auth token.
    const withoutHeader = await read(await auth.oauth2.userinfo({ manager }));
    assert.equal(withoutHeader.status, 401);
    assert.equal(withoutHeader.body.errors[0].code, 'UNAUTHORIZED');
    const r = await read(await auth.oauth2.userinfo({ headers: bearer(manager.tokens.auth) }));
    assert.equal(r.body.sub, CLIENT_ID);
  });

  test('identities.getAll by usernames (an array, sent comma-joined by the SDK)', async () => {
    const manager = managerWith(authToken);
    const r = await read(await auth.identities.getAll({ query: { usernames: [ALICE.username, BOB.username, 'nobody@example.org'] }, manager }));
    assert.equal(r.status, 200);
    const byName = Object.fromEntries(r.body.identities.map((i) => [i.username, i]));
    assert.deepEqual(Object.keys(byName).sort(), [ALICE.username, BOB.username]);
    assert.equal(byName[ALICE.username].id, ALICE.id);
    assert.equal(byName[ALICE.username].name, ALICE.name);
    assert.equal(byName[ALICE.username].status, 'used');
    assert.equal(byName[BOB.username].id, BOB.id);
  });

  test('identities.getAll by ids, with the client secret instead of a token', async () => {
    const r = await read(await auth.identities.getAll({ query: { ids: [ALICE.id, CLIENT_ID] }, headers: { Authorization: basic() } }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.identities.map((i) => i.id).sort(), [ALICE.id, CLIENT_ID].sort());
    assert.equal(r.body.identities.find((i) => i.id === CLIENT_ID).identity_type, 'client');
  });

  test('identities.get by id, and 404 NOT_FOUND for an unknown id', async () => {
    const manager = managerWith(authToken);
    const r = await read(await auth.identities.get(BOB.id, { manager }));
    assert.equal(r.status, 200);
    assert.equal(r.body.identity.username, BOB.username);
    const missing = await read(await auth.identities.get('0b0d0000-0000-4000-8000-000000000404', { manager }));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errors[0].code, 'NOT_FOUND');
  });

  test('identities without credentials: 401 UNAUTHORIZED in the Auth API error format', async () => {
    const r = await read(await auth.identities.getAll({ query: { usernames: ALICE.username } }));
    assert.equal(r.status, 401);
    assert.equal(r.body.errors[0].code, 'UNAUTHORIZED');
    assert.equal(r.body.errors[0].status, '401');
  });
});
