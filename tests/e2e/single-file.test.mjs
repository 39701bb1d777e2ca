// The single-file build (`make single-file`, scripts/single-file.mjs) opened from disk: a
// file:// URL, no server, the network cut. The file is made here from dist/ (trunk build
// --release) so it always matches the build the other tests check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { closeAll, launchChromium } from './chromium.mjs';
import { hasSystemdAnalyze, systemdScore } from './oracle.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const DIST = path.join(ROOT, 'dist');
const ARTIFACTS = path.join(HERE, 'artifacts');
const CORPUS = process.env.EXPOSURE_CORPUS ?? path.resolve(ROOT, '../shared/corpus');

let browser;
let dir;
let file;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-single-'));
  file = path.join(dir, 'exposure.html');
  execFileSync('node', [path.join(ROOT, 'scripts/single-file.mjs'), DIST, file, path.join(dir, 'size.txt')], { stdio: 'ignore' });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});

after(async () => {
  await closeAll(browser);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the single file is one file: no reference to another file, a strict policy with hashes', () => {
  const html = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<(?:script|link)\b[^>]*\b(?:src|href)="(?!data:)/);
  const policy = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/)[1];
  assert.doesNotMatch(policy, /unsafe-inline|'self'|\*/);
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  assert.match(policy, /style-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  assert.equal([...html.matchAll(/<script\b/g)].length, 1, 'one script');
});

test('opened from disk with the network cut, it scores a pasted unit as systemd-analyze does', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, async () => {
  const context = await browser.newContext({ offline: true });
  // Anything that is not the file itself (or a data: URL) is refused and recorded.
  const foreign = [];
  await context.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A file:// page cannot register a service worker; the page ignores that failure, but
    // Chromium may still log it.
    if (m.type() === 'error' && !/ServiceWorker|sw\.js/i.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('[data-testid="unit-input"]');
  await page.waitForSelector('[data-testid="exposure"]');

  // A real unit of the corpus, as `systemctl cat` prints it, scored as systemd 252 (installed).
  const unitName = 'anacron.service';
  const unitText = fs.readFileSync(path.join(CORPUS, 'dev', 'anacron', unitName), 'utf8');
  const expected = systemdScore(unitName, { [unitName]: unitText });
  await page.selectOption('[data-testid="systemd-version"]', '252');
  await page.fill('[data-testid="unit-input"]', `# /lib/systemd/system/${unitName}\n${unitText}`);
  await page.waitForFunction((u) => document.querySelector('[data-testid="unit"]')?.dataset.unit === u, unitName);
  assert.deepEqual(
    [await page.textContent('[data-testid="exposure"]'), await page.textContent('[data-testid="predicate"]')],
    expected,
  );
  // The advisor runs too (it is part of the same WebAssembly).
  assert.match(await page.textContent('[data-testid="override"]'), /^\[Service\]\n/);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'single-file-1280.png') });

  // An exercise link works on the file too: the teacher's link, from `#unit=` on.
  const exercise = await page.evaluate(() => {
    const details = document.querySelector('[data-testid="exercise-create"]');
    details.open = true;
    return document.querySelector('[data-testid="exercise-link"]')?.getAttribute('href');
  });
  assert.match(exercise ?? '', /^#unit=.*&v=252&goal=\d+\.\d&hide=advice,fixes$/);
  await page.goto(`${pathToFileURL(file).href}${exercise}`);
  await page.waitForSelector('[data-testid="exercise"]');
  assert.equal(await page.getAttribute('[data-testid="exercise"]', 'data-status'), 'working');
  assert.equal(await page.isVisible('[data-testid="override"]'), false);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'single-file-exercise-390.png') });

  assert.deepEqual(foreign, [], 'the single file asked for something besides itself');
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'CSP violations');
  await context.close();
});
