// Sign-in with the authorization code and PKCE through @globus/sdk's AuthorizationManager (its redirect transport,
// run in node with the browser objects it uses), the emulator's seeded native app, and the emulator's sign-in page
// answered as a user would: the SDK builds the authorize URL, checks the state and exchanges the code; the tokens
// it keeps are then used for Flows, consents, refresh and revoke.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startEmulator, ALICE, BOB, FLOWS_SCOPE_ALL, NATIVE_CLIENT_ID } from './support/emulator.mjs';
import { installBrowser, openSignInPage, submitSignIn, WebStorage } from './support/browser.mjs';

const emulator = await startEmulator();
after(() => emulator.stop());
const APP = 'http://localhost:8123/app/';
const REDIRECT = 'http://localhost:8123/app/callback';
const browser = installBrowser({ origin: emulator.origin, appUrl: APP });
const { auth, authorization, flows } = await import('@globus/sdk');
const { basic, read, exampleFlow } = await import('./support/sdk.mjs');

function newManager(options = {}) {
  return authorization.create({
    client: NATIVE_CLIENT_ID,
    redirect: REDIRECT,
    scopes: FLOWS_SCOPE_ALL,
    storage: new WebStorage(),
    ...options,
  });
}

/** manager.login() and the sign-in page answered; leaves the browser on the redirect the emulator sent. */
async function signIn(manager, { identity = ALICE.username, decision = 'allow', loginOptions } = {}) {
  const before = browser.navigations.length;
  await manager.login(loginOptions);
  assert.equal(browser.navigations.length, before + 1, 'login() sends the browser to Globus Auth');
  const authorizeUrl = browser.navigations.at(-1);
  const page = await openSignInPage(authorizeUrl);
  const answer = await submitSignIn(page, { identity, decision });
  browser.location.href = answer.location;
  return { authorizeUrl, page, answer };
}

function introspect(token) {
  return auth.oauth2.token.introspect({ payload: { token }, headers: { Authorization: basic() } }).then(read);
}

describe('authorization code with PKCE', () => {
  let manager;
  let signInResult;
  let verifier;
  let tokenResponse;

  test('login() builds the authorize URL with the PKCE challenge, the state and the scopes', async () => {
    manager = newManager();
    await manager.login();
    const url = new URL(browser.navigations.at(-1));
    assert.equal(`${url.origin}${url.pathname}`, `${emulator.origin}/v2/oauth2/authorize`);
    const p = url.searchParams;
    assert.equal(p.get('response_type'), 'code');
    assert.equal(p.get('client_id'), NATIVE_CLIENT_ID);
    assert.equal(p.get('redirect_uri'), REDIRECT);
    assert.deepEqual(p.get('scope').split(' ').sort(), ['email', FLOWS_SCOPE_ALL, 'openid', 'profile'].sort());
    assert.equal(p.get('code_challenge_method'), 'S256');
    verifier = browser.sessionStorage.getItem('pkce_code_verifier');
    assert.match(verifier, /^[A-Za-z0-9._~-]{43,128}$/);
    const expected = createHash('sha256').update(verifier).digest('base64url');
    assert.equal(p.get('code_challenge'), expected);
    assert.equal(p.get('state'), browser.sessionStorage.getItem('pkce_state'));
  });

  test('the sign-in page lists the scopes and identities; Allow redirects with the code and the state', async () => {
    const authorizeUrl = browser.navigations.at(-1);
    const page = await openSignInPage(authorizeUrl);
    assert.equal(page.status, 200);
    assert.deepEqual(page.scopes.sort(), ['email', FLOWS_SCOPE_ALL, 'openid', 'profile'].sort());
    assert.deepEqual(page.identities, [ALICE.username, BOB.username, 'carol@example.org']);
    assert.deepEqual(page.decisions, ['allow', 'deny']);
    const answer = await submitSignIn(page, { identity: ALICE.username, decision: 'allow' });
    assert.equal(answer.status, 302);
    const back = new URL(answer.location);
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
    assert.ok(back.searchParams.get('code'));
    assert.equal(back.searchParams.get('state'), new URL(authorizeUrl).searchParams.get('state'));
    browser.location.href = answer.location;
    signInResult = { code: back.searchParams.get('code') };
  });

  test('handleCodeRedirect() exchanges the code: tokens for Auth and Flows, the user from the id_token', async () => {
    tokenResponse = await manager.handleCodeRedirect();
    assert.equal(tokenResponse.resource_server, 'auth.globus.org');
    assert.deepEqual(tokenResponse.scope.split(' ').sort(), ['email', 'openid', 'profile']);
    assert.equal(tokenResponse.token_type, 'Bearer');
    assert.equal(tokenResponse.state, new URL(browser.navigations.at(-1)).searchParams.get('state'));
    assert.equal(tokenResponse.other_tokens.length, 1);
    assert.equal(tokenResponse.other_tokens[0].resource_server, 'flows.globus.org');
    assert.equal(tokenResponse.other_tokens[0].scope, FLOWS_SCOPE_ALL);
    assert.equal(manager.authenticated, true);
    assert.equal(manager.tokens.flows.access_token, tokenResponse.other_tokens[0].access_token);
    // The SDK removed code and state from the address bar.
    assert.equal(browser.location.href, REDIRECT);
    const user = manager.user;
    assert.equal(user.sub, ALICE.id);
    assert.equal(user.preferred_username, ALICE.username);
    assert.equal(user.email, ALICE.username);
    assert.equal(user.name, ALICE.name);
    assert.equal(user.aud, NATIVE_CLIENT_ID);
    assert.equal(user.iss, 'https://auth.globus.org');
  });

  test('the signed-in user deploys and lists flows through the manager', async () => {
    const { definition, input_schema } = exampleFlow();
    const created = await read(await flows.flows.create({ payload: { title: 'alice via PKCE', definition, input_schema }, manager }));
    assert.equal(created.status, 201);
    assert.equal(created.body.flow_owner, `urn:globus:auth:identity:${ALICE.id}`);
    const listed = await read(await flows.flows.getAll({ query: { filter_roles: ['flow_owner'] }, manager }));
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.flows.map((f) => f.id), [created.body.id]);
  });

  test('userinfo with the Auth token names the user', async () => {
    const r = await read(await auth.oauth2.userinfo({ headers: { Authorization: `Bearer ${manager.tokens.auth.access_token}` } }));
    assert.equal(r.status, 200);
    assert.equal(r.body.sub, ALICE.id);
    assert.equal(r.body.preferred_username, ALICE.username);
    assert.equal(r.body.email, ALICE.username);
    assert.equal(r.body.organization, 'Example University');
  });

  test('the consents granted on the page satisfy auth.utils.hasConsentForScope', async () => {
    const r = await read(await auth.identities.consents.getAll(ALICE.id, { manager }));
    assert.equal(r.status, 200);
    const names = r.body.consents.map((c) => c.scope_name);
    assert.ok(names.includes(FLOWS_SCOPE_ALL), names.join(', '));
    assert.ok(r.body.consents.every((c) => c.client === NATIVE_CLIENT_ID && c.effective_identity === ALICE.id && c.status === 'approved'));
    assert.equal(auth.utils.hasConsentForScope(r.body.consents, FLOWS_SCOPE_ALL), true);
    assert.equal(auth.utils.hasConsentForScope(r.body.consents, `openid ${FLOWS_SCOPE_ALL}`), true);
    assert.equal(auth.utils.hasConsentForScope(r.body.consents, 'urn:globus:auth:scope:transfer.api.globus.org:all'), false);
  });

  test('replaying the code is refused (invalid_grant) and revokes the tokens of the first exchange', async () => {
    const r = await read(await auth.oauth2.token.exchange({
      payload: { grant_type: 'authorization_code', code: signInResult.code, client_id: NATIVE_CLIENT_ID, code_verifier: verifier, redirect_uri: REDIRECT },
    }));
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_grant');
    const refused = await read(await flows.flows.getAll({ manager }));
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'AUTHENTICATION_ERROR');
    assert.deepEqual((await introspect(tokenResponse.access_token)).body, { active: false });
  });
});

describe('authorization code: refusals', () => {
  test('Deny on the sign-in page: handleCodeRedirect() throws with the error description', async () => {
    const manager = newManager();
    const { answer } = await signIn(manager, { decision: 'deny' });
    const back = new URL(answer.location);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    await assert.rejects(manager.handleCodeRedirect({ shouldReplace: false }), { message: 'The user denied the request.' });
    assert.equal(manager.authenticated, false);
  });

  test('a code_verifier that does not match the challenge: the SDK hands back invalid_grant, no tokens', async () => {
    const manager = newManager();
    await signIn(manager);
    browser.sessionStorage.setItem('pkce_code_verifier', 'x'.repeat(43));
    const response = await manager.handleCodeRedirect({ shouldReplace: false });
    assert.equal(response.error, 'invalid_grant');
    assert.match(response.error_description, /code_verifier/);
    assert.equal(manager.authenticated, false);
    assert.equal(manager.tokens.flows, null);
  });

  test('an unknown scope: the browser comes back with error=invalid_scope and the state', async () => {
    const manager = newManager({ scopes: 'https://auth.globus.org/scopes/no-such-service/all' });
    await manager.login();
    const page = await openSignInPage(browser.navigations.at(-1));
    assert.equal(page.status, 302);
    const back = new URL(page.location);
    assert.equal(back.searchParams.get('error'), 'invalid_scope');
    assert.equal(back.searchParams.get('state'), browser.sessionStorage.getItem('pkce_state'));
  });
});

describe('authorization requirements and refresh', () => {
  test('handleErrorResponse() of an authorization-requirements error asks Globus Auth for that identity', async () => {
    const manager = newManager();
    await manager.handleErrorResponse({
      code: 'AuthorizationRequired',
      message: 'Sign in as Bob',
      authorization_parameters: { session_required_identities: [BOB.id], session_message: 'This collection needs Bob.' },
    });
    const url = new URL(browser.navigations.at(-1));
    assert.equal(url.searchParams.get('prompt'), 'login');
    assert.equal(url.searchParams.get('session_required_identities'), BOB.id);
    const page = await openSignInPage(url.toString());
    assert.deepEqual(page.identities, [BOB.username]);
    assert.equal(page.sessionMessage, 'This collection needs Bob.');
    const answer = await submitSignIn(page, { identity: BOB.username, decision: 'allow' });
    browser.location.href = answer.location;
    await manager.handleCodeRedirect({ shouldReplace: false });
    assert.equal(manager.user.sub, BOB.id);
  });

  test('useRefreshTokens: refresh tokens come back, refreshTokens() renews them, revoke() ends them', async () => {
    const manager = newManager({ useRefreshTokens: true });
    const { authorizeUrl, answer } = await signIn(manager);
    assert.ok(new URL(authorizeUrl).searchParams.get('scope').split(' ').includes('offline_access'));
    assert.equal(new URL(answer.location).searchParams.get('error'), null, answer.location);
    const first = await manager.handleCodeRedirect({ shouldReplace: false });
    assert.ok(first.refresh_token, JSON.stringify(first));
    assert.ok(first.other_tokens[0].refresh_token);
    const oldFlowsToken = manager.tokens.flows.access_token;

    const results = await manager.refreshTokens();
    assert.ok(results.every((r) => r.status === 'fulfilled' && r.value && r.value.access_token), JSON.stringify(results));
    const newFlowsToken = manager.tokens.flows.access_token;
    assert.notEqual(newFlowsToken, oldFlowsToken);
    assert.equal((await read(await flows.flows.getAll({ manager }))).status, 200);

    const auth0 = manager.tokens.auth.access_token;
    await manager.revoke();
    assert.equal(manager.authenticated, false);
    assert.deepEqual((await introspect(newFlowsToken)).body, { active: false });
    assert.deepEqual((await introspect(auth0)).body, { active: false });
  });
});

