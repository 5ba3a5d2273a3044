import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { DOCS_CSP } from '../../api/routes/docs.ts';
import { startHttpServer, type HttpServerHandle } from '../../api/server.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';

// Debian's chromium (.ci/run installs it) driven by playwright-core. This machine has no internet:
// a page that loaded its renderer from a CDN would never show the title, and its request to another
// origin fails the test anyway.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let db: TestDatabase;
let deps: TestDeps;
let server: HttpServerHandle;
let base: string;
let userDataDir: string;
let browser: BrowserContext;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql);
  server = await startHttpServer(createApp(deps), { port: 0, hostname: '127.0.0.1', logger: deps.logger });
  base = `http://127.0.0.1:${server.port}`;
  userDataDir = mkdtempSync(join(tmpdir(), 'depot-chromium-'));
  // a persistent context is how playwright takes a --user-data-dir
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await server?.close(1_000);
  await deps?.close();
  await db?.drop();
});

describe('GET /api/v1/docs in a real browser', () => {
  it('renders the API from assets Depot serves itself: title shown, nothing from another origin, no CSP violation', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const violations: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
    // a string: this runs in the page, which this file's TypeScript settings know nothing of
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) =>
        window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));`,
    });

    const response = await page.goto(`${base}/api/v1/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(DOCS_CSP);

    await page
      .locator('#swagger-ui')
      .getByText('Depot admin API', { exact: false })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    // the operations come from /api/v1/openapi.json
    await page.getByText('/api/v1/sites', { exact: true }).first().waitFor({ state: 'visible' });

    const png = await page.screenshot();
    const image = sharp(png);
    const meta = await image.metadata();
    expect([meta.width, meta.height]).toEqual([1280, 800]);
    const { channels } = await image.stats();
    // a blank page has one colour everywhere: no variance in any channel
    expect(Math.max(...channels.map((c) => c.stdev))).toBeGreaterThan(10);

    expect(requests.length).toBeGreaterThan(3);
    expect(requests.filter((url) => new URL(url).origin !== base)).toEqual([]);
    expect(requests).toContain(`${base}/api/v1/openapi.json`);
    expect(violations).toEqual([]);
    expect(consoleErrors.filter((t) => /Content Security Policy/i.test(t))).toEqual([]);
    await page.close();
  }, 60_000);

  it('names no CDN in the page nor in its policy', async () => {
    const res = await fetch(`${base}/api/v1/docs`);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(res.headers.get('content-security-policy')).not.toMatch(/https?:|jsdelivr/);
    const asset = await fetch(`${base}/api/v1/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/api/v1/docs/assets/package.json`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});
