// Flows features added since the retired CLI, as far as @globus/sdk 6.2.0 has calls for them: a flow with
// CreateWebInput/AwaitWebInput states deployed and validated with flows.flows, its run followed with flows.runs.get
// while it waits (blocking_web_input_id, search) and cancelled; a flow with an authentication policy, whose 403 the
// SDK's own errors helpers read as an authorization-requirements error with the policy to sign in for.
// (The SDK has no web-input, registered-API or identity-provider calls; those endpoints are tested in xunit.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, ALICE } from './support/emulator.mjs';

const emulator = await startEmulator();
after(() => emulator.stop());
const { flows, errors } = await import('@globus/sdk');
const { bearer, clientCredentials, managerWith, read } = await import('./support/sdk.mjs');

const HIGH_ASSURANCE_POLICY = 'a5500000-0000-4000-8000-0000000000a1';
const { SCOPES } = flows.CONFIG;
let manager;

/** A flow that asks for approval and waits for the answer (a run of it is cancelled, never answered). */
function approvalDefinition() {
  return {
    StartAt: 'AskForApproval',
    States: {
      AskForApproval: {
        Type: 'CreateWebInput',
        Parameters: {
          InputType: 'Selection',
          Context: { PresentationStyle: 'Text', Title: 'Publish?', Text: 'Publish the dataset?' },
          Options: [{ Value: 'approve', Label: 'Approve' }, { Value: 'deny', Label: 'Deny' }],
        },
        ResultPath: '$.web_input_info',
        Next: 'AwaitApproval',
      },
      AwaitApproval: {
        Type: 'AwaitWebInput',
        Parameters: { 'web_input_id.$': '$.web_input_info.web_input_id' },
        ResultPath: '$.approval',
        Catch: [{ ErrorEquals: ['Flows.WebInputExpired'], Next: 'Done', ResultPath: '$.approval' }],
        Next: 'Done',
      },
      Done: { Type: 'Pass', End: true },
    },
  };
}

/** A token response for alice from a sign-in session that met `policy` (the emulator's test control mints it). */
async function sessionToken(scopes, policy) {
  const body = { identity: ALICE.username, scopes };
  if (policy) body.session_policies = [policy];
  return emulator.control('POST', 'tokens', body);
}

before(async () => {
  manager = managerWith(await clientCredentials([SCOPES.MANAGE_FLOWS, SCOPES.VIEW_FLOWS, SCOPES.RUN_MANAGE]));
});

describe('web-input states', () => {
  test('validate accepts CreateWebInput and AwaitWebInput with a Catch of Flows.WebInputExpired', async () => {
    const r = await read(await flows.flows.validate({ payload: { definition: approvalDefinition() }, manager }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.analysis.number_of_possibilities, 1);
  });

  test('a run waits ACTIVE with its blocking_web_input_id and search fields, and cancel ends it', async () => {
    const created = await read(await flows.flows.create({ payload: { title: 'interop approval', definition: approvalDefinition(), input_schema: {} }, manager }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const flowToken = await clientCredentials([created.body.globus_auth_scope]);
    const started = await read(await flows.flows.run(created.body.id, { payload: { body: {} }, headers: bearer(flowToken) }));
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.blocking_web_input_id, null);
    assert.match(started.body.search.task_id, /^[0-9a-f-]{36}$/);

    let run;
    for (let i = 0; i < 500; i += 1) {
      run = (await read(await flows.runs.get(started.body.run_id, { manager }))).body;
      if (run.blocking_web_input_id) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.equal(run.status, 'ACTIVE');
    assert.match(run.blocking_web_input_id, /^[0-9a-f-]{36}$/);
    assert.equal(run.details.code, 'AwaitWebInputStarted');

    const listed = await read(await flows.runs.getAll({ query: { filter_status: 'ACTIVE' }, manager }));
    assert.equal(listed.body.runs.find((r) => r.run_id === run.run_id).blocking_web_input_id, run.blocking_web_input_id);

    const cancelled = await read(await flows.runs.cancel(run.run_id, { manager }));
    assert.equal(cancelled.status, 202);
    const after = (await read(await flows.runs.get(run.run_id, { manager }))).body;
    assert.equal(after.status, 'FAILED');
    assert.equal(after.details.code, 'FlowCanceled');
  });
});

describe('authentication policies', () => {
  test('a flow created with authentication_policy_id is high assurance', async () => {
    const token = await sessionToken([SCOPES.MANAGE_FLOWS, SCOPES.VIEW_FLOWS], HIGH_ASSURANCE_POLICY);
    const created = await read(await flows.flows.create({
      payload: { title: 'interop guarded', definition: approvalDefinition(), input_schema: {}, authentication_policy_id: HIGH_ASSURANCE_POLICY },
      headers: bearer(token),
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.authentication_policy_id, HIGH_ASSURANCE_POLICY);
    assert.equal(created.body.is_high_assurance, true);

    // A session that does not meet the policy: the SDK's errors helpers read the 403 as an authorization requirement.
    const plain = await sessionToken([SCOPES.VIEW_FLOWS]);
    const refused = await read(await flows.flows.get(created.body.id, { headers: bearer(plain) }));
    assert.equal(refused.status, 403);
    assert.equal(refused.contentType, 'application/json');
    assert.equal(refused.body.code, 'AuthenticationPolicyRequired');
    assert.ok(errors.isAuthorizationRequirementsError(refused.body));
    const params = errors.toAuthorizationQueryParams(refused.body);
    assert.equal(String(params.session_required_policies), HIGH_ASSURANCE_POLICY);
    assert.match(params.session_message, /unsatisfied session policy/);

    // Listings show the flow without its definition or input schema.
    const listed = await read(await flows.flows.getAll({ query: { filter_roles: 'flow_owner' }, headers: bearer(token) }));
    const entry = listed.body.flows.find((f) => f.id === created.body.id);
    assert.equal(entry.definition, null);
    assert.equal(entry.input_schema, null);

    const ok = await read(await flows.flows.get(created.body.id, { headers: bearer(token) }));
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.definition, approvalDefinition());
  });

  test('update refuses to set a policy on an existing flow with 422', async () => {
    const created = await read(await flows.flows.create({ payload: { title: 'interop unguarded', definition: approvalDefinition(), input_schema: {} }, manager }));
    const r = await read(await flows.flows.update(created.body.id, { payload: { authentication_policy_id: HIGH_ASSURANCE_POLICY }, manager }));
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'UNPROCESSABLE_ENTITY');
    assert.deepEqual(r.body.error.detail[0].loc, ['authentication_policy_id']);
  });
});
