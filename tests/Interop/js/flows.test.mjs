// Flows through @globus/sdk (flows.flows.*): deploy, get, list page by page, update, validate, delete, and the
// error bodies the SDK hands back, with the SDK's AuthorizationManager holding a client-credentials token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CLIENT_ID } from './support/emulator.mjs';

const emulator = await startEmulator();
after(() => emulator.stop());
const { flows, errors } = await import('@globus/sdk');
const { bearer, clientCredentials, createHelloWorld, exampleFlow, managerWith, read, allPages } = await import('./support/sdk.mjs');

const CLIENT_URN = `urn:globus:auth:identity:${CLIENT_ID}`;
let manager;

before(async () => {
  manager = managerWith(await clientCredentials([flows.CONFIG.SCOPES.MANAGE_FLOWS, flows.CONFIG.SCOPES.VIEW_FLOWS]));
});

describe('flows', () => {
  test('create deploys the hello-world example and returns the service document', async () => {
    const { definition, input_schema } = exampleFlow();
    const r = await read(await flows.flows.create({
      payload: { title: 'interop hello', subtitle: 'from the JS SDK', keywords: ['interop', 'js'], definition, input_schema },
      manager,
    }));
    assert.equal(r.status, 201);
    assert.match(r.contentType, /^application\/json/);
    const flow = r.body;
    assert.match(flow.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(flow.title, 'interop hello');
    assert.equal(flow.subtitle, 'from the JS SDK');
    assert.deepEqual(flow.keywords, ['interop', 'js']);
    assert.deepEqual(flow.definition, definition);
    assert.deepEqual(flow.input_schema, input_schema);
    assert.equal(flow.flow_owner, CLIENT_URN);
    assert.equal(flow.globus_auth_scope, `https://auth.globus.org/scopes/${flow.id}/flow_${flow.id.replaceAll('-', '_')}_user`);
    assert.equal(flow.principal_urn, `urn:globus:auth:identity:${flow.id}`);
    assert.equal(flow.created_at, flow.updated_at);
    assert.ok(flow.user_roles.includes('flow_owner'));
  });

  test('get returns the flow by id', async () => {
    const created = await createHelloWorld(manager, 'interop get');
    const r = await read(await flows.flows.get(created.id, { manager }));
    assert.equal(r.status, 200);
    assert.equal(r.body.id, created.id);
    assert.equal(r.body.title, 'interop get');
    assert.equal(r.body.globus_auth_scope, created.globus_auth_scope);
    assert.deepEqual(r.body.definition, created.definition);
  });

  test('getAll pages with per_page and the marker until has_next_page is false', async () => {
    const tag = `paging-${Date.now()}`;
    const ids = [];
    for (let i = 0; i < 12; i += 1) {
      ids.push((await createHelloWorld(manager, `${tag} ${String(i).padStart(2, '0')}`)).id);
    }
    const pages = await allPages(flows.flows.getAll, { query: { per_page: 5, filter_title: tag }, manager });
    assert.deepEqual(pages.map((p) => p.flows.length), [5, 5, 2]);
    assert.deepEqual(pages.map((p) => p.has_next_page), [true, true, false]);
    assert.ok(pages.slice(0, 2).every((p) => typeof p.marker === 'string' && p.marker.length > 0));
    assert.equal(pages[2].marker ?? null, null);
    assert.ok(pages.every((p) => p.limit === 5));
    const seen = pages.flatMap((p) => p.flows.map((f) => f.id));
    assert.equal(new Set(seen).size, seen.length, 'no flow appears on two pages');
    assert.deepEqual([...seen].sort(), [...ids].sort());
    // Default order is updated_at DESC: the last flow deployed comes first.
    assert.equal(seen[0], ids[ids.length - 1]);
  });

  test('getAll without paging options gives the default page of 20', async () => {
    const r = await read(await flows.flows.getAll({ manager }));
    assert.equal(r.status, 200);
    assert.equal(r.body.limit, 20);
    assert.ok(r.body.flows.length <= 20);
    assert.equal(typeof r.body.has_next_page, 'boolean');
  });

  test('update changes only the fields sent and moves updated_at', async () => {
    const created = await createHelloWorld(manager, 'interop update', { description: 'before' });
    await emulator.control('POST', 'clock', { advance_seconds: 5 });
    const r = await read(await flows.flows.update(created.id, {
      payload: { title: 'interop update (renamed)', keywords: ['renamed'] },
      manager,
    }));
    assert.equal(r.status, 200);
    assert.equal(r.body.id, created.id);
    assert.equal(r.body.title, 'interop update (renamed)');
    assert.deepEqual(r.body.keywords, ['renamed']);
    assert.equal(r.body.description, 'before');
    assert.deepEqual(r.body.definition, created.definition);
    assert.equal(r.body.created_at, created.created_at);
    assert.ok(Date.parse(r.body.updated_at) > Date.parse(created.updated_at), `${r.body.updated_at} after ${created.updated_at}`);
    const again = await read(await flows.flows.get(created.id, { manager }));
    assert.equal(again.body.title, 'interop update (renamed)');
  });

  test('validate returns the scopes a definition needs, by RunAs', async () => {
    const { definition, input_schema } = exampleFlow();
    const r = await read(await flows.flows.validate({ payload: { definition, input_schema }, manager }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.scopes, { User: ['https://auth.globus.org/scopes/actions.globus.org/hello_world'] });
  });

  test('validate refuses a definition with 422 UNPROCESSABLE_ENTITY and the failing location', async () => {
    const definition = { StartAt: 'Step1', States: { Step1: { Type: 'Pass' } } };
    const r = await read(await flows.flows.validate({ payload: { definition }, manager }));
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'UNPROCESSABLE_ENTITY');
    assert.ok(Array.isArray(r.body.error.detail));
    assert.deepEqual(r.body.error.detail[0].loc, ['definition', 'States', 'Step1']);
    assert.match(r.body.error.message, /validation error/);
    assert.equal(typeof r.body.debug_id, 'string');
  });

  test('create refuses a malformed principal with 422 naming the field', async () => {
    const { definition, input_schema } = exampleFlow();
    const r = await read(await flows.flows.create({
      payload: { title: 'bad admins', definition, input_schema, flow_administrators: ['not-a-urn'] },
      manager,
    }));
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'UNPROCESSABLE_ENTITY');
    assert.deepEqual(r.body.error.detail[0].loc, ['flow_administrators', 0]);
    assert.match(r.body.error.detail[0].msg, /Unrecognized principal string/);
  });

  test('remove deletes the flow; afterwards get is 404 NOT_FOUND', async () => {
    const created = await createHelloWorld(manager, 'interop delete');
    const r = await read(await flows.flows.remove(created.id, { manager }));
    assert.equal(r.status, 200);
    assert.equal(r.body.id, created.id);
    assert.equal(r.body.DELETED, true);
    assert.ok(!Number.isNaN(Date.parse(r.body.deleted_at)));
    const gone = await read(await flows.flows.get(created.id, { manager }));
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'NOT_FOUND');
  });
});

describe('flows errors as the SDK hands them back', () => {
  test('get of a missing flow: 404 NOT_FOUND with the service detail', async () => {
    const id = '6e1d0000-0000-4000-8000-00000000dead';
    const response = await flows.flows.get(id, { manager });
    assert.equal(response.ok, false);
    const r = await read(response);
    assert.equal(r.status, 404);
    assert.match(r.contentType, /^application\/json/);
    assert.equal(r.body.error.code, 'NOT_FOUND');
    assert.equal(r.body.error.detail, `No Flow exists with id value ${id}`);
    assert.equal(errors.isAuthorizationRequirementsError(r.body), false);
  });

  test('update of a missing flow: 404 NOT_FOUND', async () => {
    const r = await read(await flows.flows.update('6e1d0000-0000-4000-8000-00000000beef', { payload: { title: 'x' }, manager }));
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'NOT_FOUND');
  });

  test('a call without a token: 401 AUTHENTICATION_ERROR', async () => {
    const r = await read(await flows.flows.getAll());
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'AUTHENTICATION_ERROR');
  });

  test('a token without a Flows scope: 403 from the service, not a crash in the SDK', async () => {
    // A token for the flows resource server that only carries run_status cannot list flows.
    const token = await clientCredentials(['https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_status']);
    const r = await read(await flows.flows.getAll({ headers: bearer(token) }));
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'MISSING_SCOPE');
    assert.match(r.body.error.detail, /^This action requires the following scope: https:\/\/auth\.globus\.org\/scopes\/eec9b274-0c81-4334-bdc2-54e90e689b9a\//);
  });
});
