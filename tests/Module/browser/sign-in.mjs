#!/usr/bin/env node
// Used as $BROWSER by the -UseBrowser test: opens the authorize URL in Debian's chromium (headless), picks the
// identity named in GLOBUS_TEST_IDENTITY, presses Allow on the emulator's page, and waits for the module's loopback
// page. Writes what it saw (page title and text, never the URL with its code) to GLOBUS_TEST_BROWSER_LOG.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
const identity = process.env.GLOBUS_TEST_IDENTITY || 'bob@example.org';
const log = process.env.GLOBUS_TEST_BROWSER_LOG;
const profile = mkdtempSync(join(tmpdir(), 'ga-chromium-'));
let context;
try {
  // A fresh, empty profile for every sign-in.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.GLOBUS_TEST_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url);
  await page.check(`input[name="identity"][value="${identity}"]`);
  await Promise.all([page.waitForURL(/^http:\/\/localhost:\d+\//), page.click('button[value="allow"]')]);
  const title = await page.textContent('#title');
  const message = await page.textContent('#message');
  if (log) writeFileSync(log, JSON.stringify({ title, message }));
} catch (e) {
  if (log) writeFileSync(log, JSON.stringify({ error: String(e) }));
  process.exitCode = 1;
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
}
