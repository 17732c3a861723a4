// Small conveniences around the Globus JavaScript SDK for the interop tests. Everything that talks to a Globus
// service goes through the SDK's own service methods; these helpers only build their options and read responses.
// Import this module after startEmulator() has set the GLOBUS_SDK_SERVICE_URL_* variables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auth, authorization, flows } from '@globus/sdk';
import { CLIENT_ID, CLIENT_SECRET, repositoryRoot } from './emulator.mjs';

export function basic(id = CLIENT_ID, secret = CLIENT_SECRET) {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function bearer(token) {
  return { Authorization: `Bearer ${typeof token === 'string' ? token : token.access_token}` };
}

/** Reads a response body as JSON, with the status, for assertions on what the SDK handed back. */
export async function read(response) {
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, ok: response.ok, contentType: response.headers.get('content-type'), body };
}

/** A client-credentials grant for the given scopes through auth.oauth2.token.token; returns the token response. */
export async function clientCredentials(scopes, { id = CLIENT_ID, secret = CLIENT_SECRET } = {}) {
  const response = await auth.oauth2.token.token({
    payload: { grant_type: 'client_credentials', scope: [].concat(scopes).join(' ') },
    headers: { Authorization: basic(id, secret) },
  });
  const r = await read(response);
  if (r.status !== 200) {
    throw new Error(`client_credentials for '${scopes}' answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
  return r.body;
}

/** An AuthorizationManager (the SDK's token holder) loaded with a token response, as an app would after sign-in. */
export function managerWith(tokenResponse, client = CLIENT_ID) {
  const manager = authorization.create({ client, redirect: 'http://localhost:8123/callback', defaultScopes: false });
  manager.addTokenResponse(tokenResponse);
  return manager;
}

export function exampleFlow() {
  const dir = join(repositoryRoot, 'examples', 'flows');
  return {
    definition: JSON.parse(readFileSync(join(dir, 'hello-world.json'), 'utf8')),
    input_schema: JSON.parse(readFileSync(join(dir, 'hello-world.input-schema.json'), 'utf8')),
    input: JSON.parse(readFileSync(join(dir, 'hello-world.input.json'), 'utf8')),
  };
}

/** Deploys the hello-world example through flows.flows.create and returns the flow document. */
export async function createHelloWorld(manager, title, extra = {}) {
  const { definition, input_schema } = exampleFlow();
  const r = await read(await flows.flows.create({ payload: { title, definition, input_schema, ...extra }, manager }));
  if (r.status !== 201) {
    throw new Error(`creating '${title}' answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
  return r.body;
}

/** Follows a listing page by page with the marker of each page, through the given SDK list method. */
export async function allPages(list, { query = {}, manager, headers } = {}) {
  const pages = [];
  let marker;
  for (let i = 0; i < 1000; i += 1) {
    const r = await read(await list({ query: marker ? { ...query, marker } : query, manager, headers }));
    if (r.status !== 200) {
      throw new Error(`page ${i + 1} answered ${r.status}: ${JSON.stringify(r.body)}`);
    }
    pages.push(r.body);
    if (!r.body.has_next_page) {
      return pages;
    }
    marker = r.body.marker;
  }
  throw new Error('the listing did not end within 1000 pages');
}
