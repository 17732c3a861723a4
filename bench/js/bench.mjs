// The JavaScript side of the benchmarks: the same listings through @globus/sdk (the version pinned in
// tests/Interop/js, installed there by npm ci), with the SDK's own service methods and a has_next_page/marker loop.
// Environment: BENCH_ORIGIN, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_MODE (runs | flows | log | stop | first),
// BENCH_TARGET, BENCH_PER_PAGE, BENCH_PASSES. Prints one JSON line {"counts": [...], "ms": [...], "peakMB": n}.
// Mode "first" is a scheduled script's first command: load the SDK, client-credentials token, first page of flows.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const started = performance.now();
const env = (name) => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const origin = env('BENCH_ORIGIN').replace(/\/$/, '');
process.env.GLOBUS_SDK_SERVICE_URL_AUTH = origin;
process.env.GLOBUS_SDK_SERVICE_URL_FLOWS = origin;
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sdkPath = join(repositoryRoot, 'tests', 'Interop', 'js', 'node_modules', '@globus', 'sdk', 'dist', 'esm', 'index.js');
const { auth, flows } = await import(pathToFileURL(sdkPath).href);

const mode = env('BENCH_MODE');
const target = process.env.BENCH_TARGET ?? '';
const perPage = Number(process.env.BENCH_PER_PAGE ?? '50');
const passes = Number(process.env.BENCH_PASSES ?? '2');
const basic = `Basic ${Buffer.from(`${env('BENCH_CLIENT_ID')}:${env('BENCH_CLIENT_SECRET')}`).toString('base64')}`;

async function token() {
  const response = await auth.oauth2.token.token({
    payload: { grant_type: 'client_credentials', scope: 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all' },
    headers: { Authorization: basic },
  });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

async function check(response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function all(list, query, headers, itemsKey, ids) {
  let count = 0;
  let marker;
  for (;;) {
    const page = await check(await list({ query: marker ? { marker } : query, headers }));
    for (const item of page[itemsKey]) {
      count += 1;
      if (ids) ids.push(item.run_id);
    }
    if (!page.has_next_page) return count;
    marker = page.marker;
  }
}

if (mode === 'first') {
  const headers = { Authorization: `Bearer ${await token()}` };
  const page = await check(await flows.flows.getAll({ query: { per_page: 1 }, headers }));
  if (!Array.isArray(page.flows)) throw new Error('no flows array');
  console.log(JSON.stringify({ counts: [page.flows.length], ms: [performance.now() - started], peakMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const headers = { Authorization: `Bearer ${await token()}` };
async function pass() {
  switch (mode) {
    case 'runs':
      return all((o) => flows.runs.getAll(o), { filter_flow_id: target, per_page: perPage }, headers, 'runs');
    case 'flows':
      return all((o) => flows.flows.getAll(o), { per_page: perPage }, headers, 'flows');
    case 'log':
      return all((o) => flows.runs.getLog(target, o), { limit: 100 }, headers, 'entries');
    case 'stop': {
      // The SDK has no batch call: one runs.cancel per run, as a script using it would do.
      const ids = [];
      await all((o) => flows.runs.getAll(o), { filter_flow_id: target, filter_status: 'ACTIVE', per_page: perPage }, headers, 'runs', ids);
      for (const id of ids) await check(await flows.runs.cancel(id, { headers }));
      return ids.length;
    }
    default:
      throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}

const counts = [];
const ms = [];
for (let p = 0; p < passes; p += 1) {
  const t = performance.now();
  counts.push(await pass());
  ms.push(performance.now() - t);
}
console.log(JSON.stringify({ counts, ms, peakMB: process.resourceUsage().maxRSS / 1024 }));
