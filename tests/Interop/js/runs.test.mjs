// Runs through @globus/sdk (flows.flows.run and flows.runs.*): start a run with a token for the flow's own scope,
// follow it to SUCCEEDED, read its log and definition, list runs with filters and paging, update, cancel and
// release runs, and the error bodies the SDK hands back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CLIENT_ID } from './support/emulator.mjs';

const emulator = await startEmulator();
after(() => emulator.stop());
const { flows } = await import('@globus/sdk');
const { bearer, clientCredentials, createHelloWorld, exampleFlow, managerWith, read, allPages } = await import('./support/sdk.mjs');

const CLIENT_URN = `urn:globus:auth:identity:${CLIENT_ID}`;
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'ENDED']);
let manager;
let flow;
let flowToken;

/** Starts a run of `f` through the SDK with a token for the flow's own scope. */
async function startRun(f, token, { input = exampleFlow().input, label, tags } = {}) {
  const payload = { body: input };
  if (label !== undefined) payload.label = label;
  if (tags !== undefined) payload.tags = tags;
  return read(await flows.flows.run(f.id, { payload, headers: bearer(token) }));
}

/** Polls runs.get until the run is finished, moving the emulated clock forward between polls. */
async function waitForRun(runId, { timeoutMs = 30000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await read(await flows.runs.get(runId, { manager }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (TERMINAL.has(r.body.status)) {
      return r.body;
    }
    if (Date.now() > deadline) {
      assert.fail(`run ${runId} still ${r.body.status} after ${timeoutMs} ms`);
    }
    await emulator.control('POST', 'clock', { advance_seconds: 30 });
    await new Promise((res) => setTimeout(res, 20));
  }
}

before(async () => {
  const { SCOPES } = flows.CONFIG;
  manager = managerWith(await clientCredentials([SCOPES.MANAGE_FLOWS, SCOPES.VIEW_FLOWS, SCOPES.RUN_MANAGE]));
  flow = await createHelloWorld(manager, 'interop runs');
  flowToken = await clientCredentials([flow.globus_auth_scope]);
});

describe('runs', () => {
  test('client credentials for the flow scope give a token for the flow as resource server', () => {
    assert.equal(flowToken.resource_server, flow.id);
    assert.equal(flowToken.scope, flow.globus_auth_scope);
    assert.equal(flowToken.token_type, 'Bearer');
    assert.ok(flowToken.access_token.length > 20);
  });

  test('run starts the flow: 201 with the run document', async () => {
    const { input } = exampleFlow();
    const r = await startRun(flow, flowToken, { input, label: 'interop first run', tags: ['  interop   js ', 'sdk'] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const run = r.body;
    assert.match(run.run_id, /^[0-9a-f-]{36}$/);
    assert.equal(run.action_id, run.run_id);
    assert.equal(run.flow_id, flow.id);
    assert.equal(run.flow_title, 'interop runs');
    assert.equal(run.status, 'ACTIVE');
    assert.equal(run.display_status, 'ACTIVE');
    assert.equal(run.details.code, 'FlowStarting');
    assert.equal(run.label, 'interop first run');
    assert.deepEqual(run.tags, ['interop js', 'sdk']);
    assert.equal(run.run_owner, CLIENT_URN);
    assert.ok(run.user_roles.includes('run_owner'));
    assert.ok(!Number.isNaN(Date.parse(run.start_time)));
  });

  test('a run followed with runs.get reaches SUCCEEDED with the flow output', async () => {
    const { input } = exampleFlow();
    const started = await startRun(flow, flowToken, { input, label: 'interop to success' });
    assert.equal(started.status, 201);
    const run = await waitForRun(started.body.run_id);
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.display_status, 'SUCCEEDED');
    assert.equal(run.details.code, 'FlowSucceeded');
    assert.equal(run.details.description, 'The Flow run reached a successful completion state');
    assert.equal(run.details.output.Result.echoed, input.input.echo_string);
    assert.equal(run.details.output.HelloResult.status, 'SUCCEEDED');
    assert.deepEqual(run.details.output.HelloResult.details, { Hello: 'World', hello: input.input.echo_string });
    assert.ok(Date.parse(run.completion_time) >= Date.parse(run.start_time));
  });

  test('getLog returns the run log from FlowStarted to FlowSucceeded, also page by page', async () => {
    const started = await startRun(flow, flowToken, { label: 'interop log' });
    await waitForRun(started.body.run_id);
    const full = await read(await flows.runs.getLog(started.body.run_id, { query: { limit: 100 }, manager }));
    assert.equal(full.status, 200);
    assert.equal(full.body.has_next_page, false);
    const codes = full.body.entries.map((e) => e.code);
    assert.equal(codes[0], 'FlowStarted');
    assert.equal(codes.at(-1), 'FlowSucceeded');
    for (const code of ['ActionStarted', 'ActionCompleted', 'ChoiceStarted', 'PassCompleted']) {
      assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
    }
    const actionStarted = full.body.entries.find((e) => e.code === 'ActionStarted');
    assert.equal(actionStarted.details.state_name, 'SayHello');
    assert.equal(actionStarted.description, 'State SayHello of type Action started');

    const pages = await allPages((o) => flows.runs.getLog(started.body.run_id, o), { query: { limit: 2 }, manager });
    assert.ok(pages.length >= 2, `${pages.length} pages`);
    assert.deepEqual(pages.flatMap((p) => p.entries.map((e) => e.code)), codes);
  });

  test('getDefinition returns the definition and input schema the run started with', async () => {
    const started = await startRun(flow, flowToken);
    const r = await read(await flows.runs.getDefinition(started.body.run_id, { manager }));
    assert.equal(r.status, 200);
    assert.equal(r.body.flow_id, flow.id);
    assert.deepEqual(r.body.definition, exampleFlow().definition);
    assert.deepEqual(r.body.input_schema, exampleFlow().input_schema);
  });

  test('getAll filters by flow, label and status and pages with the marker', async () => {
    const other = await createHelloWorld(manager, 'interop run listing');
    const otherToken = await clientCredentials([other.globus_auth_scope]);
    const ids = [];
    for (let i = 0; i < 7; i += 1) {
      const r = await startRun(other, otherToken, { label: i < 2 ? `special ${i}` : `plain ${i}`, tags: [`n${i}`] });
      assert.equal(r.status, 201);
      ids.push(r.body.run_id);
    }
    for (const id of ids) {
      await waitForRun(id);
    }

    const pages = await allPages(flows.runs.getAll, { query: { filter_flow_id: [other.id], per_page: 3 }, manager });
    assert.deepEqual(pages.map((p) => p.runs.length), [3, 3, 1]);
    const listed = pages.flatMap((p) => p.runs.map((run) => run.run_id));
    assert.equal(new Set(listed).size, listed.length);
    assert.deepEqual([...listed].sort(), [...ids].sort());
    assert.ok(pages.flatMap((p) => p.runs).every((run) => run.flow_id === other.id));

    const special = await read(await flows.runs.getAll({ query: { filter_flow_id: other.id, filter_label: 'special' }, manager }));
    assert.equal(special.status, 200);
    assert.deepEqual(special.body.runs.map((run) => run.label).sort(), ['special 0', 'special 1']);

    const done = await read(await flows.runs.getAll({ query: { filter_flow_id: other.id, filter_status: ['SUCCEEDED', 'FAILED'] }, manager }));
    assert.equal(done.body.runs.length, 7);
    const active = await read(await flows.runs.getAll({ query: { filter_flow_id: other.id, filter_status: 'ACTIVE' }, manager }));
    assert.deepEqual(active.body.runs, []);

    const both = await read(await flows.runs.getAll({ query: { filter_flow_id: [other.id, flow.id], per_page: 50 }, manager }));
    assert.ok(both.body.runs.some((run) => run.flow_id === flow.id));
    assert.ok(both.body.runs.some((run) => run.flow_id === other.id));
  });

  test('update replaces label and tags', async () => {
    const started = await startRun(flow, flowToken, { label: 'before update', tags: ['old'] });
    const r = await read(await flows.runs.update(started.body.run_id, { payload: { label: 'after update', tags: ['new', 'tags'] }, manager }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.run_id, started.body.run_id);
    assert.equal(r.body.label, 'after update');
    assert.deepEqual(r.body.tags, ['new', 'tags']);
    const again = await read(await flows.runs.get(started.body.run_id, { manager }));
    assert.equal(again.body.label, 'after update');
  });

  test('cancel stops an active run: 202, FAILED with FlowCanceled', async () => {
    // An hour-long hello_world action keeps the run ACTIVE while the clock is left alone.
    const started = await startRun(flow, flowToken, { input: { input: { echo_string: 'never', sleep_time: 3600 } }, label: 'to cancel' });
    assert.equal(started.status, 201);
    const r = await read(await flows.runs.cancel(started.body.run_id, { manager }));
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.run_id, started.body.run_id);
    assert.equal(r.body.status, 'FAILED');
    assert.equal(r.body.details.code, 'FlowCanceled');
    assert.equal(r.body.details.description, 'The Flow Instance was canceled by the user');
    const later = await read(await flows.runs.get(started.body.run_id, { manager }));
    assert.equal(later.body.status, 'FAILED');
    const log = await read(await flows.runs.getLog(started.body.run_id, { query: { limit: 100 }, manager }));
    assert.equal(log.body.entries.at(-1).code, 'FlowCanceled');
  });

  test('remove releases a finished run; afterwards get is 404', async () => {
    const started = await startRun(flow, flowToken, { label: 'to release' });
    await waitForRun(started.body.run_id);
    const r = await read(await flows.runs.remove(started.body.run_id, { manager }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.run_id, started.body.run_id);
    assert.equal(r.body.status, 'SUCCEEDED');
    const gone = await read(await flows.runs.get(started.body.run_id, { manager }));
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'NOT_FOUND');
    assert.equal(gone.body.error.detail, `No Run exists with id value ${started.body.run_id}`);
  });
});

describe('runs errors as the SDK hands them back', () => {
  test('run through the AuthorizationManager (a Flows token, not the flow scope): 403 MISSING_SCOPE', async () => {
    // flows.flows.run picks the token of the flows.globus.org resource server from the manager; the service
    // wants the flow's own scope, so the SDK caller gets the service's 403.
    const response = await flows.flows.run(flow.id, { payload: { body: exampleFlow().input }, manager });
    assert.equal(response.ok, false);
    const r = await read(response);
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'MISSING_SCOPE');
    assert.equal(r.body.error.detail, `This action requires the following scope: ${flow.globus_auth_scope}`);
  });

  test('run with input that fails the input schema: 400 FLOW_INPUT_ERROR with the failing paths', async () => {
    const r = await startRun(flow, flowToken, { input: { input: { echo_string: 'x', sleep_time: 'soon' } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'FLOW_INPUT_ERROR');
    assert.equal(r.body.error.message, 'Input failed schema validation with 1 error.');
    assert.equal(r.body.error.detail.length, 1);
    assert.match(r.body.error.detail[0].loc[0], /sleep_time/);
    assert.equal(r.body.error.detail[0].type, 'InvalidActionInput');
  });

  test('remove of an active run: 409 STATE_CONFLICT', async () => {
    const started = await startRun(flow, flowToken, { input: { input: { echo_string: 'busy', sleep_time: 3600 } } });
    const r = await read(await flows.runs.remove(started.body.run_id, { manager }));
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'STATE_CONFLICT');
    assert.equal(r.body.error.detail,
      `Run ${started.body.run_id} has status 'ACTIVE' but must have status in {'ENDED', 'SUCCEEDED', 'FAILED'} for requested operation`);
    await read(await flows.runs.cancel(started.body.run_id, { manager }));
  });

  test('get of an unknown run: 404 NOT_FOUND', async () => {
    const id = '0e1d0000-0000-4000-8000-0000000000aa';
    const r = await read(await flows.runs.get(id, { manager }));
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'NOT_FOUND');
    assert.equal(r.body.error.detail, `No Run exists with id value ${id}`);
  });

  test('run of a deleted flow: 404 NOT_FOUND', async () => {
    const doomed = await createHelloWorld(manager, 'interop doomed');
    const token = await clientCredentials([doomed.globus_auth_scope]);
    assert.equal((await read(await flows.flows.remove(doomed.id, { manager }))).status, 200);
    const r = await startRun(doomed, token);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'NOT_FOUND');
  });
});
