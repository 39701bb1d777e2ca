// End-to-end test of the release bundle (dist/) in headless Chromium, driven by playwright-core.
// Run: trunk build --release && node --test tests/e2e/        (scripts/check.sh does both)
//
// The bundle is served by a tiny static server on 127.0.0.1 (random free port). Every request
// the page makes is recorded and must go to that server. Screenshots (light, dark, phone) are
// written to tests/e2e/artifacts/ (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');
const ARTIFACTS = path.join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};
const PREDICATES = ['PERFECT', 'SAFE', 'OK', 'MEDIUM', 'EXPOSED', 'UNSAFE', 'DANGEROUS'];
const SCORE = /^\d{1,2}\.\d$/;
const BARE = '[Unit]\nDescription=bare\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n';

/** The `#unit=` payload of `text`, made independently of the app: raw DEFLATE + base64url. */
const payloadOf = (text) => zlib.deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
/** The text carried by a payload, decoded with Node's own zlib. */
const textOf = (payload) => zlib.inflateRawSync(Buffer.from(payload, 'base64url')).toString('utf8');

let server;
let browser;
let base;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(DIST, 'index.html')),
    `${DIST}/index.html is missing: run \`trunk build --release\` first`,
  );
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.join(DIST, decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(DIST, 'index.html');
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // root needs --no-sandbox; the rest keeps Chromium quiet and offline.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/**
 * A fresh page that records every request and every error; `done()` asserts that all
 * requests went to our server and that nothing failed.
 */
async function openPage(fragment = '', options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(base + fragment);
  await page.waitForSelector('[data-testid="unit-input"]');
  const done = async () => {
    const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'requests left 127.0.0.1');
    assert.ok(requests.length > 0, 'no request recorded at all');
    assert.deepEqual(errors, []);
    await context.close();
  };
  return { page, done };
}

const text = (page, testid) => page.textContent(`[data-testid="${testid}"]`);

test('the example unit is preloaded and scored', async () => {
  const { page, done } = await openPage();
  const input = await page.inputValue('[data-testid="unit-input"]');
  assert.match(input, /^\[Service\]$/m, 'the example has a [Service] section');
  assert.match(await text(page, 'exposure'), SCORE);
  assert.ok(PREDICATES.includes(await text(page, 'predicate')));

  const rows = await page.$$eval('[data-testid="check"]', (trs) =>
    trs.map((tr) => ({
      field: tr.dataset.jsonField,
      exposure: tr.dataset.exposure,
      cell: tr.lastElementChild.textContent,
    })),
  );
  assert.ok(rows.length >= 10, `only ${rows.length} check rows`);
  for (const row of rows) {
    assert.ok(row.field, 'a row without data-json-field');
    assert.ok(row.exposure === '' || SCORE.test(row.exposure), `bad data-exposure ${row.exposure}`);
    assert.equal(row.cell, row.exposure);
  }

  // The share link carries exactly the text, readable by another inflate implementation.
  const href = await page.getAttribute('[data-testid="share-link"]', 'href');
  assert.ok(href.startsWith('#unit='), href);
  assert.equal(textOf(href.slice('#unit='.length)), input);
  await done();
});

test('editing the text re-scores it', async () => {
  const { page, done } = await openPage();
  const before = await text(page, 'exposure');
  await page.fill('[data-testid="unit-input"]', BARE);
  await page.waitForFunction(
    (b) => document.querySelector('[data-testid="exposure"]').textContent !== b,
    before,
  );
  const bare = await text(page, 'exposure');
  assert.match(bare, SCORE);

  const block = await text(page, 'override');
  assert.match(block, /^\[Service\]\n/);
  assert.match(block, /^PrivateTmp=yes$/m);

  // Applying the suggested lines lowers the score.
  await page.fill('[data-testid="unit-input"]', BARE + block.replace('[Service]\n', ''));
  await page.waitForFunction(
    (b) => document.querySelector('[data-testid="exposure"]').textContent !== b,
    bare,
  );
  const hardened = await text(page, 'exposure');
  assert.ok(Number(hardened) < Number(bare), `${hardened} is not below ${bare}`);

  // The share link follows the text.
  const href = await page.getAttribute('[data-testid="share-link"]', 'href');
  assert.equal(textOf(href.slice('#unit='.length)), await page.inputValue('[data-testid="unit-input"]'));
  await done();
});

test('the override: tiers, predicted score, copy button', async () => {
  const { page, done } = await openPage(`#unit=${payloadOf(BARE)}`, {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const predicted = async () => {
    const t = await text(page, 'override-after');
    const m = t.match(/^(\d+\.\d) (\w+) → (\d+\.\d) (\w+)/);
    assert.ok(m, `unexpected prediction text: ${t}`);
    return { before: m[1], after: m[3] };
  };
  const moderate = await predicted();
  assert.equal(moderate.before, await text(page, 'exposure'));
  assert.ok(Number(moderate.after) < Number(moderate.before));

  // A stricter tier predicts a lower score, and shows what each line may break.
  await page.selectOption('[data-testid="tier"]', 'strict');
  await page.waitForFunction(
    (a) => !document.querySelector('[data-testid="override-after"]').textContent.includes(`→ ${a} `),
    moderate.after,
  );
  const strict = await predicted();
  assert.ok(Number(strict.after) < Number(moderate.after), `${strict.after} vs ${moderate.after}`);
  const notes = await page.$$eval('[data-testid="suggestion"] .breaks', (els) => els.length);
  assert.ok(notes > 5, `only ${notes} may-break notes`);

  // The copy button puts the whole drop-in, comments included, on the clipboard.
  await page.click('[data-testid="copy"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="copy"]').textContent === 'Copied');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(clip, /^# Hardening suggested by Exposure \(strict tier\)/);
  const block = await text(page, 'override');
  for (const line of block.split('\n').filter((l) => l && !l.startsWith('['))) {
    assert.ok(clip.split('\n').includes(line), `clipboard lacks ${line}`);
  }

  // Installing the block gives exactly the predicted score.
  await page.fill('[data-testid="unit-input"]', BARE + block.replace('[Service]\n', ''));
  await page.waitForFunction(
    (b) => document.querySelector('[data-testid="exposure"]').textContent !== b,
    strict.before,
  );
  assert.equal(await text(page, 'exposure'), strict.after);
  await done();
});

test('the examples menu loads a hardened unit and a systemctl show paste', async () => {
  const { page, done } = await openPage();
  const before = Number(await text(page, 'exposure'));
  await page.selectOption('[data-testid="examples"]', 'hardened');
  await page.waitForFunction(
    (b) => Number(document.querySelector('[data-testid="exposure"]').textContent) < b,
    before,
  );
  assert.match(await page.inputValue('[data-testid="unit-input"]'), /^ProtectSystem=strict$/m);
  await page.selectOption('[data-testid="examples"]', 'show');
  await page.waitForSelector('[data-testid="unit"][data-unit="metrics-agent.service"]');
  assert.match(await text(page, 'exposure'), SCORE);
  assert.match(await page.$eval('[data-testid="kind"] option', (o) => o.textContent), /show/);
  await done();
});

test('systemctl cat of two units: a summary, then one breakdown at a time', async () => {
  const { page, done } = await openPage();
  const two =
    '# /etc/systemd/system/alpha.service\n[Service]\nExecStart=/usr/bin/alpha\n\n' +
    '# /etc/systemd/system/beta.service\n[Service]\nExecStart=/usr/bin/beta\nDynamicUser=yes\n';
  await page.fill('[data-testid="unit-input"]', two);
  await page.waitForSelector('[data-testid="summary"]');
  const rows = await page.$$eval('[data-testid="summary-row"]', (trs) =>
    trs.map((tr) => [tr.dataset.unit, ...[...tr.cells].map((c) => c.textContent)]),
  );
  assert.deepEqual(rows.map((r) => r[0]), ['alpha.service', 'beta.service']);
  for (const r of rows) {
    assert.equal(r[1], r[0]);
    assert.match(r[2], SCORE);
    assert.ok(PREDICATES.includes(r[3]), r[3]);
  }
  assert.equal(await page.locator('[data-testid="unit"]').count(), 1);
  assert.equal(await page.getAttribute('[data-testid="unit"]', 'data-unit'), 'alpha.service');
  await page.click('[data-testid="summary-row"][data-unit="beta.service"] button');
  await page.waitForSelector('[data-testid="unit"][data-unit="beta.service"]');
  assert.equal(await text(page, 'exposure'), rows[1][2]);
  await done();
});

test('the breakdown: biggest exposure first, systemd order, failing only, by theme', async () => {
  const { page, done } = await openPage();
  const rows = () =>
    page.$$eval('[data-testid="check"]', (trs) =>
      trs.map((tr) => ({ field: tr.dataset.jsonField, e: Number(tr.dataset.exposure || 0), cls: tr.className })),
    );
  const all = await rows();
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].e >= all[i].e, 'sorted by contribution');
  await page.selectOption('[data-testid="sort"]', 'systemd');
  await page.waitForFunction(
    (first) => document.querySelector('[data-testid="check"]').dataset.jsonField !== first,
    all[0].field,
  );
  const systemd = await rows();
  assert.deepEqual([...systemd.map((r) => r.field)].sort(), [...all.map((r) => r.field)].sort());
  await page.check('[data-testid="failing-only"]');
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="check"]').length < n,
    all.length,
  );
  assert.ok((await rows()).every((r) => r.cls === 'fail'));
  await page.check('[data-testid="group"]');
  await page.waitForSelector('[data-testid="group-title"]');
  await done();
});

test('a reload keeps the text; Clear forgets it', async () => {
  const { page, done } = await openPage();
  await page.fill('[data-testid="unit-input"]', BARE);
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, BARE);
  await page.reload();
  await page.waitForSelector('[data-testid="exposure"]');
  assert.equal(await page.inputValue('[data-testid="unit-input"]'), BARE);
  // a link wins over the kept text
  const linked = '[Service]\nExecStart=/usr/bin/linked\n';
  await page.goto(`${page.url().split('#')[0]}#unit=${payloadOf(linked)}`);
  await page.reload();
  await page.waitForSelector('[data-testid="exposure"]');
  assert.equal(await page.inputValue('[data-testid="unit-input"]'), linked);
  await page.click('[data-testid="clear"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="unit-input"]').value === '');
  assert.equal(await page.inputValue('[data-testid="unit-input"]'), '');
  assert.equal(await page.evaluate(() => localStorage.getItem('exposure.input')), null);
  await page.goto(page.url().split('#')[0]);
  await page.reload();
  await page.waitForSelector('[data-testid="exposure"]');
  assert.match(await page.inputValue('[data-testid="unit-input"]'), /shop-frontend/);
  await done();
});

test('a #unit= link made outside the app opens its text', async () => {
  const unit = '# shared ✓\n[Service]\nExecStart=/usr/bin/true\nDynamicUser=yes\nPrivateNetwork=yes\n';
  const { page, done } = await openPage(`#unit=${payloadOf(unit)}`);
  assert.equal(await page.inputValue('[data-testid="unit-input"]'), unit);
  assert.match(await text(page, 'exposure'), SCORE);
  assert.equal(await page.$('[data-testid="notice"]'), null);
  await done();
});

test('a damaged link shows a clear message and says the example is shown', async () => {
  const good = payloadOf(BARE);
  const { page, done } = await openPage(`#unit=${good.slice(0, good.length - 6)}`);
  const notice = await text(page, 'notice');
  assert.match(notice, /could not be opened/);
  assert.match(notice, /example unit is shown instead/);
  assert.match(await page.inputValue('[data-testid="unit-input"]'), /^\[Service\]$/m);
  assert.match(await text(page, 'exposure'), SCORE);
  await done();
});

test('screenshots: light, dark, phone', async () => {
  const luminance = (page) =>
    page.evaluate(() => {
      const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    });

  const light = await openPage('', { colorScheme: 'light', viewport: { width: 1280, height: 900 } });
  assert.ok((await luminance(light.page)) > 0.8, 'light theme is not light');
  await light.page.screenshot({ path: path.join(ARTIFACTS, 'light.png'), fullPage: true });
  await light.done();

  const dark = await openPage('', { colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  assert.ok((await luminance(dark.page)) < 0.2, 'dark theme is not dark');
  await dark.page.screenshot({ path: path.join(ARTIFACTS, 'dark.png'), fullPage: true });
  // emulateMedia switches a live page too
  await dark.page.emulateMedia({ colorScheme: 'light' });
  assert.ok((await luminance(dark.page)) > 0.8, 'page did not follow the colour scheme');
  await dark.done();

  const phone = await openPage('', {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `page is ${overflow}px wider than a 390px phone`);
  await phone.page.screenshot({ path: path.join(ARTIFACTS, 'phone.png') });
  await phone.page.locator('[data-testid="unit"]').first().scrollIntoViewIfNeeded();
  await phone.page.screenshot({ path: path.join(ARTIFACTS, 'phone-verdict.png') });
  await phone.done();
});
