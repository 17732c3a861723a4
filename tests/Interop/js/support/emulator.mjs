// Starts the published GlobusAutomate emulator for one test file and points the Globus JavaScript SDK at it.
//
// Mirrors Start-GlobusEmulator in build/BuildTools.psm1: the emulator is out/emulator/GlobusAutomate.Emulator.dll
// (or GLOBUSAUTOMATE_EMULATOR_DLL), started with `dotnet <dll> --urls http://127.0.0.1:0 --parent-pid <this pid>`,
// its output goes to files (so it never blocks on a full pipe), the origin is read from the first stdout line
// `GlobusAutomate.Emulator listening on http://127.0.0.1:<port>`, and when GLOBUSAUTOMATE_PID_DIR is set its process
// id is recorded there so that build.ps1 can end an emulator left behind by a test process that died.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The seeded confidential client and native app of the emulator (src/GlobusAutomate.Emulator/README.md). */
export const CLIENT_ID = 'c0ffee00-0000-4000-8000-0000000000cc';
export const CLIENT_SECRET = 'emulator-client-secret';
export const NATIVE_CLIENT_ID = 'e6c75d97-532a-4c88-b031-8584a319fa3e';
export const ALICE = { id: 'a11ce000-0000-4000-8000-000000000001', username: 'alice@example.org', name: 'Alice Example' };
export const BOB = { id: 'b0b00000-0000-4000-8000-000000000002', username: 'bob@example.org', name: 'Bob Example' };
export const FLOWS_SCOPE_ALL = 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all';

/** The service URL variables the SDK reads (core/global.js: GLOBUS_SDK_SERVICE_URL_<SERVICE ID>). */
export const SERVICE_URL_VARIABLES = ['GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_TIMERS'];

const LISTENING = /^GlobusAutomate\.Emulator listening on (http:\/\/\S+?)\/?\s*$/;

export function emulatorDll() {
  if (process.env.GLOBUSAUTOMATE_EMULATOR_DLL) {
    return process.env.GLOBUSAUTOMATE_EMULATOR_DLL;
  }
  const dll = join(repositoryRoot, 'out', 'emulator', 'GlobusAutomate.Emulator.dll');
  if (!existsSync(dll)) {
    throw new Error(`The emulator is not built: '${dll}' does not exist. Run 'dotnet pwsh ./build.ps1 Build' first.`);
  }
  return dll;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits for a promise at most ms milliseconds; true when it settled in time. The timer never keeps the process alive. */
function within(promise, ms) {
  let timer;
  const timeout = new Promise((r) => { timer = setTimeout(() => r(false), ms); timer.unref(); });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function firstLine(path) {
  try {
    const text = readFileSync(path, 'utf8');
    const end = text.indexOf('\n');
    return end < 0 ? null : text.slice(0, end).replace(/\r$/, '');
  } catch {
    return null;
  }
}

/**
 * Starts an emulator and sets the SDK's service URL variables of this process to its origin.
 * Returns { origin, pid, stop(), control(method, path, body) }.
 */
export async function startEmulator({ speed, timeoutMs = 60000 } = {}) {
  const dll = emulatorDll();
  const logDir = mkdtempSync(join(tmpdir(), 'globus-emulator-js-'));
  const stdoutPath = join(logDir, 'stdout.log');
  const stderrPath = join(logDir, 'stderr.log');
  const outFd = openSync(stdoutPath, 'w');
  const errFd = openSync(stderrPath, 'w');
  const args = [dll, '--urls', 'http://127.0.0.1:0', '--parent-pid', String(process.pid)];
  if (speed) {
    args.push('--speed', String(speed));
  }
  const child = spawn('dotnet', args, { stdio: ['ignore', outFd, errFd], windowsHide: true });
  closeSync(outFd);
  closeSync(errFd);
  let exited = null;
  let spawnError = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  child.on('error', (err) => { spawnError = err; });
  // The emulator also ends by itself when this process ends (--parent-pid); this only makes it faster.
  const killOnExit = () => { if (exited === null) { try { child.kill('SIGKILL'); } catch { /* gone */ } } };
  process.on('exit', killOnExit);
  child.unref();

  const pidDir = process.env.GLOBUSAUTOMATE_PID_DIR;
  const pidFile = pidDir && existsSync(pidDir) && child.pid ? join(pidDir, `${child.pid}.pid`) : null;
  if (pidFile) {
    writeFileSync(pidFile, String(child.pid));
  }

  async function stop() {
    if (exited === null && spawnError === null) {
      // Referenced again so that this process waits for the emulator's exit instead of ending first.
      child.ref();
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if (!(await within(gone, 10000))) {
        child.kill('SIGKILL');
        await within(gone, 5000);
      }
    }
    process.off('exit', killOnExit);
    if (pidFile) {
      rmSync(pidFile, { force: true });
    }
    rmSync(logDir, { recursive: true, force: true });
  }

  const deadline = Date.now() + timeoutMs;
  let origin = null;
  while (origin === null) {
    if (spawnError) {
      await stop();
      throw new Error(`Could not start 'dotnet ${dll}': ${spawnError.message}`);
    }
    const line = firstLine(stdoutPath);
    if (line !== null) {
      const m = LISTENING.exec(line);
      if (!m) {
        await stop();
        throw new Error(`The emulator's first output line was '${line}', not 'GlobusAutomate.Emulator listening on <origin>'.`);
      }
      origin = m[1];
      break;
    }
    if (exited !== null) {
      const err = readFileSync(stderrPath, 'utf8');
      await stop();
      throw new Error(`The emulator exited with code ${exited.code} before listening. Its error output:\n${err}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The emulator did not print its listening line within ${timeoutMs / 1000} s.`);
    }
    await sleep(25);
  }

  for (const name of SERVICE_URL_VARIABLES) {
    process.env[name] = origin;
  }

  /** Calls the emulator's test-control API (/_emulator/...), which is not part of any Globus service. */
  async function control(method, path, body) {
    const res = await fetch(`${origin}/_emulator/${path.replace(/^\//, '')}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} /_emulator/${path} answered ${res.status}: ${text}`);
    }
    return text ? JSON.parse(text) : null;
  }

  return { origin, pid: child.pid, stop, control };
}
