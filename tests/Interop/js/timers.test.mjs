// Timers through @globus/sdk (timers.timer.create and timers.jobs.*): a flow timer created with a token that carries
// the flow's scope as a dependency fires real runs of the flow on the emulated clock; list, get, rename, pause,
// resume and delete; ConsentRequired without the dependency, 422 for an interval below the service's limit, 401.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CLIENT_ID } from './support/emulator.mjs';

const emulator = await startEmulator();
after(() => emulator.stop());
const { flows, timers } = await import('@globus/sdk');
const { bearer, clientCredentials, createHelloWorld, exampleFlow, managerWith, read } = await import('./support/sdk.mjs');

const TIMER_SCOPE = 'https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer';
const CLIENT_URN = `urn:globus:auth:identity:${CLIENT_ID}`;
let manager;
let flow;
let timerToken;

function flowTimer(name, schedule) {
  return { timer: { timer_type: 'flow', flow_id: flow.id, name, schedule, body: { body: exampleFlow().input, tags: ['from-js'] } } };
}

async function create(payload, token = timerToken) {
  return read(await timers.timer.create({ payload, headers: bearer(token) }));
}

async function getJob(id) {
  return read(await timers.jobs.get(id, { headers: bearer(timerToken) }));
}

/** Moves the emulated clock forward until the timer satisfies `done`, then returns it. */
async function advanceUntil(id, done, { step = 60, tries = 200 } = {}) {
  for (let i = 0; i < tries; i++) {
    const r = await getJob(id);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (done(r.body)) return r.body;
    await emulator.control('POST', 'clock', { advance_seconds: step });
    await new Promise((res) => setTimeout(res, 60));
  }
  assert.fail(`timer ${id} did not reach the expected state`);
}

before(async () => {
  const { SCOPES } = flows.CONFIG;
  manager = managerWith(await clientCredentials([SCOPES.MANAGE_FLOWS, SCOPES.VIEW_FLOWS, SCOPES.RUN_MANAGE]));
  flow = await createHelloWorld(manager, 'interop timers');
  timerToken = await clientCredentials([`${TIMER_SCOPE}[${flow.globus_auth_scope}]`]);
});

describe('timers', () => {
  test('the dependent scope request gives a Timers token', () => {
    assert.equal(timerToken.resource_server, '524230d7-ea86-4a52-8312-86065a9e0417');
    assert.equal(timerToken.scope, TIMER_SCOPE);
  });

  test('timer.create makes a recurring flow timer that runs the flow on the emulated clock and ends', async () => {
    const r = await create(flowTimer('js every minute', { type: 'recurring', interval_seconds: 60, end: { condition: 'iterations', count: 2 } }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const t = r.body.timer;
    assert.match(t.job_id, /^[0-9a-f-]{36}$/);
    assert.equal(t.timer_type, 'flow');
    assert.equal(t.flow_id, flow.id);
    assert.equal(t.status, 'new');
    assert.equal(t.number_of_runs, 0);
    assert.deepEqual(t.schedule, { type: 'recurring', interval_seconds: 60, end: { condition: 'iterations', count: 2 } });
    assert.equal(t.scope, flow.globus_auth_scope);

    const ended = await advanceUntil(t.job_id, (j) => j.status === 'ended');
    assert.equal(ended.number_of_runs, 2);
    assert.equal(ended.number_of_errors, 0);
    assert.equal(ended.results.data.length, 2);
    const runId = ended.results.data[0].resource_id;
    const run = await read(await flows.runs.get(runId, { manager }));
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.flow_id, flow.id);
    assert.equal(run.body.run_owner, CLIENT_URN);
    assert.equal(run.body.label, 'js every minute');
    assert.deepEqual(run.body.tags, ['from-js']);
  });

  test('jobs.getAll lists the timers, filtered by status', async () => {
    const all = await read(await timers.jobs.getAll({ headers: bearer(timerToken) }));
    assert.equal(all.status, 200);
    assert.ok(all.body.jobs.some((j) => j.name === 'js every minute'));
    const active = await read(await timers.jobs.getAll({ query: { filter_status: 'active' }, headers: bearer(timerToken) }));
    assert.equal(active.status, 200);
    assert.ok(!active.body.jobs.some((j) => j.status === 'ended'));
  });

  test('jobs.patch renames, pause and resume (update_credentials) change the state, remove deletes', async () => {
    const r = await create(flowTimer('js pausable', { type: 'recurring', interval_seconds: 3600 }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.timer.job_id;

    const renamed = await read(await timers.jobs.patch(id, { payload: { name: 'js renamed' }, headers: bearer(timerToken) }));
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'js renamed');

    const paused = await read(await timers.jobs.pause(id, { headers: bearer(timerToken) }));
    assert.equal(paused.status, 200, JSON.stringify(paused.body));
    assert.match(paused.body.message, /paused/);
    let now = (await getJob(id)).body;
    assert.equal(now.status, 'inactive');
    assert.equal(now.inactive_reason.cause, 'user');
    assert.equal(now.activity.code, 'paused');

    const resumed = await read(await timers.jobs.resume(id, { query: { update_credentials: true }, headers: bearer(timerToken) }));
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    now = (await getJob(id)).body;
    assert.ok(['new', 'active'].includes(now.status), now.status);
    assert.equal(now.inactive_reason, null);

    const removed = await read(await timers.jobs.remove(id, { headers: bearer(timerToken) }));
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(removed.body.status, 'delete_in_progress');
    assert.equal((await getJob(id)).status, 404);
  });

  test('without the flow scope as a dependency, create answers 403 ConsentRequired naming the scope to request', async () => {
    const plain = await clientCredentials([TIMER_SCOPE]);
    const r = await create(flowTimer('js no consent', { type: 'once' }), plain);
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body.code, 'ConsentRequired');
    assert.deepEqual(r.body.authorization_parameters.required_scopes, [`${TIMER_SCOPE}[${flow.globus_auth_scope}]`]);
  });

  test('an interval below 60 seconds is refused with 422 and the FastAPI detail list', async () => {
    const r = await create(flowTimer('js too fast', { type: 'recurring', interval_seconds: 30 }));
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.ok(Array.isArray(r.body.detail));
    assert.ok(r.body.detail[0].loc.includes('interval_seconds'));
  });

  test('no token: 401', async () => {
    const r = await read(await timers.jobs.getAll({ headers: { Authorization: 'Bearer nope' } }));
    assert.equal(r.status, 401);
  });
});
