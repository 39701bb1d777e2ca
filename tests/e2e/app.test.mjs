// End-to-end test of the release bundle (dist/) in headless Chromium, driven by playwright-core.
// Run: trunk build --release && node --test tests/e2e/        (scripts/check.sh does both)
//
// The bundle is served by a tiny static server on 127.0.0.1 (random free port). Every request
// the page makes is recorded and must go to that server. Screenshots (light, dark, phone) are
// written to tests/e2e/artifacts/ (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { closeAll, launchChromium, serveBuild } from './chromium.mjs';
import { hasSystemdAnalyze, payloadOf, systemdAnalyze, systemdScore, textOf } from './oracle.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');
const ARTIFACTS = path.join(HERE, 'artifacts');
// The shared conformance corpus (never copied into the repository), as the cargo tests find it.
const CORPUS = process.env.EXPOSURE_CORPUS ?? path.resolve(HERE, '../../../shared/corpus');
const PREDICATES = ['PERFECT', 'SAFE', 'OK', 'MEDIUM', 'EXPOSED', 'UNSAFE', 'DANGEROUS'];
const SCORE = /^\d{1,2}\.\d$/;
const BARE = '[Unit]\nDescription=bare\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n';


let server;
let browser;
let base;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(DIST, 'index.html')),
    `${DIST}/index.html is missing: run \`trunk build --release\` first`,
  );
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  ({ server, base } = await serveBuild(DIST));
  browser = await launchChromium();
});

after(() => closeAll(browser, server));

/**
 * A fresh page that records every request and every error; `done()` asserts that all
 * requests went to our server and that nothing failed.
 */
async function openPage(fragment = '', options = {}, ready = '[data-testid="unit-input"]') {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  // The context sees the requests of the page and of its service worker.
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // Anything the Content-Security-Policy blocks is recorded (and fails the test).
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(base + fragment);
  await page.waitForSelector(ready);
  const done = async () => {
    const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'requests left 127.0.0.1');
    assert.ok(requests.length > 0, 'no request recorded at all');
    assert.deepEqual(errors, []);
    if (!page.isClosed()) {
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'CSP violations');
    }
    await context.close();
  };
  return { page, context, requests, done };
}

const text = (page, testid) => page.textContent(`[data-testid="${testid}"]`);
/** Opens the examples menu and chooses the example `id` (or the `nth` one). */
const chooseExample = async (page, id, nth = 0) => {
  await page.click('[data-testid="examples"]');
  const item = id
    ? page.locator(`[data-testid="example-item"][value="${id}"]`)
    : page.locator('[data-testid="example-item"]').nth(nth);
  await item.click();
};

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
  await chooseExample(page, 'hardened');
  await page.waitForFunction(
    (b) => Number(document.querySelector('[data-testid="exposure"]').textContent) < b,
    before,
  );
  assert.match(await page.inputValue('[data-testid="unit-input"]'), /^ProtectSystem=strict$/m);
  await chooseExample(page, 'show');
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

test('a reload keeps the text; a link wins over it; Clear empties the editor', async () => {
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
  await page.waitForFunction(() => localStorage.getItem('exposure.input') === null);
  await page.goto(page.url().split('#')[0]);
  await page.reload();
  await page.waitForSelector('[data-testid="exposure"]');
  assert.match(await page.inputValue('[data-testid="unit-input"]'), /shop-frontend/);
  await done();
});

/** The text the address bar's `#unit=` link carries now, or null. */
const addressText = async (page) => {
  const m = (await page.evaluate(() => location.hash)).match(/unit=([^&]*)/);
  return m ? textOf(m[1]) : null;
};
const inputOf = (page) => page.inputValue('[data-testid="unit-input"]');
/** Waits until the address bar's link carries `text` (it follows edits once they pause). */
async function waitForAddress(page, text, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const now = await addressText(page).catch(() => null);
    if (now === text) return;
    assert.ok(Date.now() < end, `the address bar carries ${JSON.stringify(now)}, not ${JSON.stringify(text)}`);
    await page.waitForTimeout(100);
  }
}
/** Replaces the text as an edit does (one `input` event): Playwright's fill takes seconds on a long text. */
const setText = (page, text) =>
  page.evaluate((t) => {
    const ta = document.querySelector('[data-testid="unit-input"]');
    ta.value = t;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
const kept = (page) =>
  page.evaluate(() => ({
    local: localStorage.getItem('exposure.input'),
    session: sessionStorage.getItem('exposure.input'),
    aside: localStorage.getItem('exposure.set-aside'),
  }));

test('a link never replaces the user\'s text: it is set aside, one click away', async () => {
  const { page, done } = await openPage();
  const mine = BARE.replace('bare', 'mine');
  await page.fill('[data-testid="unit-input"]', mine);
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, mine);
  assert.equal(await page.$('[data-testid="set-aside"]'), null, 'nothing set aside yet');

  const linked = '[Service]\nExecStart=/usr/bin/linked\n';
  await page.goto(`${base}#unit=${payloadOf(linked)}`);
  await page.reload();
  await page.waitForSelector('[data-testid="set-aside"]');
  assert.equal(await inputOf(page), linked);
  assert.match(await text(page, 'set-aside'), /Opened from a link\. Your previous text \(6 lines\) is kept/);
  assert.equal((await kept(page)).local, mine, 'the link\'s text is not kept over the user\'s');

  await page.click('[data-testid="switch-back"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, mine);
  assert.match(await text(page, 'set-aside'), /The link's text \(3 lines\) is set aside/);
  await waitForAddress(page, mine);
  await page.click('[data-testid="switch-back"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, linked);
  await page.click('[data-testid="forget-set-aside"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="set-aside"]'));

  // The examples do the same: the user's text is set aside, not overwritten.
  await page.fill('[data-testid="unit-input"]', mine);
  await page.click('text=Example');
  await page.waitForSelector('[data-testid="set-aside"]');
  assert.match(await text(page, 'set-aside'), /Example loaded\. Your previous text/);
  assert.equal((await kept(page)).local, mine);
  await page.click('[data-testid="switch-back"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, mine);
  // Once the example is edited it is the user's: both are kept; Forget it forgets the other.
  await page.click('[data-testid="switch-back"]');
  const example = await inputOf(page);
  await page.fill('[data-testid="unit-input"]', `${example}# edited\n`);
  await page.waitForFunction(() => localStorage.getItem('exposure.set-aside') !== null);
  assert.equal((await kept(page)).aside, mine);
  await page.click('[data-testid="forget-set-aside"]');
  await page.waitForFunction(() => localStorage.getItem('exposure.set-aside') === null);
  await done();
});

test('a link\'s text edited, then reloaded, shows the edit', async () => {
  const linked = '[Service]\nExecStart=/usr/bin/linked\n';
  const { page, done } = await openPage(`#unit=${payloadOf(linked)}`);
  assert.equal(await inputOf(page), linked);
  const edited = `${linked}PrivateTmp=yes\n`;
  await page.fill('[data-testid="unit-input"]', edited);
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, edited);
  await waitForAddress(page, edited);
  await page.reload();
  await page.waitForSelector('[data-testid="exposure"]');
  assert.equal(await inputOf(page), edited);
  assert.equal(await page.$('[data-testid="set-aside"]'), null);
  // The same after the browser restores the session (a new page at the same address).
  const again = await page.context().newPage();
  await again.goto(page.url());
  await again.waitForSelector('[data-testid="exposure"]');
  assert.equal(await inputOf(again), edited);
  await done();
});

test('two tabs: a second tab never overwrites the first tab\'s text', async () => {
  const { page: first, context, done } = await openPage();
  const mine = BARE.replace('bare', 'first tab');
  await first.fill('[data-testid="unit-input"]', mine);
  await first.waitForFunction((t) => sessionStorage.getItem('exposure.input') === t, mine);

  // A link opened in a second tab keeps nothing over the first tab's text ...
  const second = await context.newPage();
  const linked = '[Service]\nExecStart=/usr/bin/linked\n';
  await second.goto(`${base}#unit=${payloadOf(linked)}`);
  await second.waitForSelector('[data-testid="set-aside"]');
  assert.equal((await kept(second)).local, mine);
  // ... and once edited there, it is that tab's text, not the first tab's.
  const theirs = `${linked}User=second\n`;
  await second.fill('[data-testid="unit-input"]', theirs);
  await second.waitForFunction((t) => localStorage.getItem('exposure.input') === t, theirs);
  assert.equal((await kept(second)).aside, mine, 'the first text is still kept, set aside');

  await first.reload();
  await first.waitForSelector('[data-testid="exposure"]');
  assert.equal(await inputOf(first), mine, 'the first tab reloads its own text');
  // A new tab opens with the latest text, and the earlier one a click away.
  const third = await context.newPage();
  await third.goto(base);
  await third.waitForSelector('[data-testid="set-aside"]');
  assert.equal(await inputOf(third), theirs);
  await third.click('[data-testid="switch-back"]');
  await third.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, mine);
  await third.close();
  // Both tabs edit: the last edit is the next tab's text, and the other tab's is set aside
  // for it, so closing either tab loses nothing.
  const mineAgain = `${mine}User=first-again\n`;
  await first.fill('[data-testid="unit-input"]', mineAgain);
  await first.waitForFunction((t) => localStorage.getItem('exposure.input') === t, mineAgain);
  assert.equal((await kept(first)).aside, theirs, 'the second tab\'s text is set aside');
  await second.close();
  await first.close();
  const fourth = await context.newPage();
  await fourth.goto(base);
  await fourth.waitForSelector('[data-testid="set-aside"]');
  assert.equal(await inputOf(fourth), mineAgain);
  await fourth.click('[data-testid="switch-back"]');
  await fourth.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, theirs);
  await done();
});

test('a long text edited right before the tab closes is kept', async () => {
  const { page, context, done } = await openPage();
  // Over 64 KiB, the text is kept once typing pauses for half a second, or when the page hides.
  const long = `${BARE}${'# a long comment line to make the text large\n'.repeat(2000)}`;
  assert.ok(long.length > 64 * 1024);
  await setText(page, long);
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, long);
  // Leaving the page right after an edit (well within the half second): kept all the same.
  const edited = `${long}User=left\n`;
  await setText(page, edited);
  await page.goto('about:blank');
  await page.goto(base);
  await page.waitForSelector('[data-testid="exposure"]');
  assert.equal(await inputOf(page), edited);
  // Closing the tab right after an edit: the next tab opens with it.
  const closed = `${long}User=closed\n`;
  await setText(page, closed);
  await page.close();
  const next = await context.newPage();
  await next.goto(base);
  await next.waitForSelector('[data-testid="exposure"]');
  assert.equal(await inputOf(next), closed);
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
  // The theme button overrides the system: auto → light → dark → auto.
  const theme = dark.page.locator('button.theme');
  await dark.page.emulateMedia({ colorScheme: 'dark' });
  await theme.click();
  assert.match(await theme.innerText(), /light/);
  assert.ok((await luminance(dark.page)) > 0.8, 'light picked on a dark system is not light');
  await dark.page.emulateMedia({ colorScheme: 'light' });
  await theme.click();
  assert.match(await theme.innerText(), /dark/);
  assert.ok((await luminance(dark.page)) < 0.2, 'dark picked on a light system is not dark');
  await theme.click();
  assert.match(await theme.innerText(), /auto/);
  assert.ok((await luminance(dark.page)) > 0.8, 'auto does not follow the system again');
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

/** The dev corpus records (systemd-analyze's output per unit), loaded units only. */
const corpusRecords = () =>
  zlib
    .gunzipSync(fs.readFileSync(path.join(CORPUS, 'dev', 'expected.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.loaded);

test('corpus units pasted into the page get systemd-analyze\'s exact numbers', async () => {
  const records = corpusRecords().filter((r) => r.dropins.length === 0 && !r.unit.includes('@'));
  assert.ok(records.length > 100, `only ${records.length} corpus records`);
  const { page, done } = await openPage();
  // The records are Debian 12's systemd 252: score as it does.
  await page.selectOption('[data-testid="systemd-version"]', '252');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="version"]')?.textContent.startsWith('as systemd 252 '));
  // Every 37th unit: a spread of packages, ~8 units.
  for (const r of records.filter((_, i) => i % 37 === 0)) {
    const unit = fs.readFileSync(path.join(CORPUS, 'dev', r.file), 'utf8');
    // As `systemctl cat` prints it, so the unit keeps its name.
    await page.fill('[data-testid="unit-input"]', `# /lib/systemd/system/${r.unit}\n${unit}`);
    await page.waitForFunction(
      (u) => document.querySelector('[data-testid="unit"]')?.dataset.unit === u,
      r.assessed_as,
    );
    assert.equal(await text(page, 'exposure'), r.exposure, r.unit);
    assert.equal(await text(page, 'predicate'), r.predicate, r.unit);
    const rows = await page.$$eval('[data-testid="check"]', (trs) =>
      Object.fromEntries(trs.map((tr) => [tr.dataset.jsonField, tr.dataset.exposure])),
    );
    for (const c of r.checks) {
      assert.equal(rows[c.json_field], c.exposure ?? '', `${r.unit} ${c.json_field}`);
    }
  }
  await done();
});

test('unticking a suggestion changes the predicted score, the block and what is copied', async () => {
  const { page, done } = await openPage(`#unit=${payloadOf(BARE)}`, {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const after = async () => (await text(page, 'override-after')).match(/→ (\d+\.\d)/)[1];
  const all = await after();
  const first = page.locator('[data-testid="suggestion"]').first();
  const setting = await first.getAttribute('data-setting');
  assert.match(await text(page, 'override'), new RegExp(`^${setting}=`, 'm'));
  await first.locator('[data-testid="suggestion-toggle"]').uncheck();
  await page.waitForFunction(
    (a) => !document.querySelector('[data-testid="override-after"]').textContent.includes(`→ ${a} `),
    all,
  );
  assert.ok(Number(await after()) > Number(all), `${await after()} is not above ${all}`);
  assert.doesNotMatch(await text(page, 'override'), new RegExp(`^${setting}=`, 'm'));
  await page.click('[data-testid="copy"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="copy"]').textContent === 'Copied');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(clip, new RegExp(`^#${setting}=`, 'm'), 'the line left out is a comment');
  assert.doesNotMatch(clip, new RegExp(`^${setting}=`, 'm'));
  // The share link carries the choice; Copy link puts the whole address on the clipboard.
  await page.click('[data-testid="copy-link"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="copy-link"]').textContent === 'Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(link.startsWith(base + '#unit='), link);
  assert.ok(link.endsWith(`&off=unit.service:${setting}`), link);
  await first.locator('[data-testid="suggestion-toggle"]').check();
  await page.waitForFunction(
    (a) => document.querySelector('[data-testid="override-after"]').textContent.includes(`→ ${a} `),
    all,
  );
  await done();
});

/**
 * Pastes `text` over the whole content of the text area, as a user's paste does: a `paste`
 * event carrying the text. Returns false when the page took the paste over (a text too large
 * for the text area), true when it let the text area insert it.
 */
function paste(page, text) {
  return page.evaluate((t) => {
    const ta = document.querySelector('[data-testid="unit-input"]');
    ta.focus();
    ta.select();
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', t);
    return ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, text);
}

test('a unit and its drop-in opened as files score as systemd-analyze scores them', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, async () => {
  const r = corpusRecords().find((x) => x.unit === 'cron.service') ?? corpusRecords()[0];
  const unitText = fs.readFileSync(path.join(CORPUS, 'dev', r.file), 'utf8');
  const dropin = '[Service]\nPrivateTmp=yes\nProtectSystem=strict\nNoNewPrivileges=yes\n';
  const expected = systemdScore(r.unit, { [r.unit]: unitText, '50-harden.conf': dropin });
  const { page, done } = await openPage();
  // The installed systemd-analyze is Debian 12's 252: score as it does.
  await page.selectOption('[data-testid="systemd-version"]', '252');
  await page.setInputFiles('[data-testid="open-files"]', [
    { name: '50-harden.conf', mimeType: 'text/plain', buffer: Buffer.from(dropin) },
    { name: r.unit, mimeType: 'text/plain', buffer: Buffer.from(unitText) },
  ]);
  await page.waitForFunction((u) => document.querySelector('[data-testid="unit"]')?.dataset.unit === u, r.unit);
  const input = await page.inputValue('[data-testid="unit-input"]');
  assert.ok(input.startsWith(`# /etc/systemd/system/${r.unit}\n`), input.slice(0, 80));
  assert.ok(input.includes(`# /etc/systemd/system/${r.unit}.d/50-harden.conf\n`));
  assert.deepEqual([await text(page, 'exposure'), await text(page, 'predicate')], expected);
  assert.notEqual(expected[0], r.exposure, 'the drop-in should change the score');
  await done();
});

test('files dropped on the page open', async () => {
  const { page, done } = await openPage();
  await page.evaluate((unit) => {
    const dt = new DataTransfer();
    dt.items.add(new File([unit], 'dropped.service', { type: 'text/plain' }));
    const target = document.querySelector('[data-testid="unit-input"]');
    for (const type of ['dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, BARE);
  await page.waitForFunction(() => document.querySelector('[data-testid="unit"]')?.dataset.unit === 'dropped.service');
  assert.equal(await page.inputValue('[data-testid="unit-input"]'), `# /etc/systemd/system/dropped.service\n${BARE}`);
  await done();
});

test('a link over 8 KB warns and offers the text as a download', async () => {
  // Text that does not compress, so its link is long.
  const noise = crypto.randomBytes(9000).toString('base64').match(/.{1,64}/g).map((l) => `# ${l}`).join('\n');
  const long = `${BARE}${noise}\n`;
  const { page, done } = await openPage();
  assert.equal(await page.$('[data-testid="link-warning"]'), null);
  await page.fill('[data-testid="unit-input"]', long);
  await page.waitForSelector('[data-testid="link-warning"]');
  assert.match(await text(page, 'link-warning'), /\d+ KB long/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download"]')]);
  assert.equal(download.suggestedFilename(), 'exposure-input.txt');
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), long);
  await done();
});

test('the built page allows no inline script but its own hashed loader', () => {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const policy = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/)[1];
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\*/);
  const scriptSrc = policy.match(/script-src ([^;]*)/)[1].split(' ');
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]));
  assert.ok(inline.length >= 1, 'Trunk loader not found');
  for (const m of inline) {
    const hash = `'sha256-${crypto.createHash('sha256').update(m[2]).digest('base64')}'`;
    assert.ok(scriptSrc.includes(hash), `inline script not allowed by ${policy}`);
  }
  assert.equal(scriptSrc.filter((s) => s.startsWith("'sha256-")).length, inline.length);
  for (const d of ["default-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'"]) {
    assert.ok(policy.includes(d), `policy lacks ${d}`);
  }
});

test('sw.js caches exactly this build, under a version derived from its files and the worker', () => {
  const sw = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const files = fs
    .readdirSync(DIST, { recursive: true })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f !== 'sw.js' && fs.statSync(path.join(DIST, f)).isFile())
    .sort();
  const assets = JSON.parse(sw.match(/const ASSETS = (\[.*\]);/)[1]);
  assert.deepEqual(assets, ['./', ...files.filter((f) => f !== 'index.html')]);
  const template = fs.readFileSync(path.resolve(HERE, '../../web/sw.js'), 'utf8');
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(f).update('\0').update(fs.readFileSync(path.join(DIST, f)));
  h.update('web/sw.js').update('\0').update(template);
  assert.equal(sw.match(/const VERSION = "([0-9a-f]+)";/)[1], h.digest('hex').slice(0, 16), 'dist/ is older than web/sw.js: rebuild');
});

test('after the first visit the app loads and works with no network', async () => {
  // The control: with no network and no earlier visit, the page does not load at all.
  const fresh = await browser.newContext({ offline: true });
  await assert.rejects(fresh.newPage().then((p) => p.goto(base)), /ERR_INTERNET_DISCONNECTED/);
  await fresh.close();

  const { page, context, done } = await openPage(`#unit=${payloadOf(BARE)}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const online = await text(page, 'exposure');
  await context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector('[data-testid="exposure"]');
    assert.equal(await text(page, 'exposure'), online);
    // A link opened with no network works too, and editing still re-scores.
    const other = '[Service]\nExecStart=/usr/bin/true\nDynamicUser=yes\n';
    await page.goto(`${base}#unit=${payloadOf(other)}`);
    await page.reload();
    await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]')?.value === t, other);
    await page.fill('[data-testid="unit-input"]', BARE);
    await page.waitForFunction((s) => document.querySelector('[data-testid="exposure"]').textContent === s, online);
  } finally {
    await context.setOffline(false);
  }
  await done();
});

test('a whole session requests nothing but the app\'s own files', async () => {
  const own = new Set(['/', '/sw.js', ...fs.readdirSync(DIST).map((f) => `/${f}`)]);
  const { page, requests, done } = await openPage('', {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  // Everything a person might do in one visit.
  await page.fill('[data-testid="unit-input"]', BARE);
  await page.selectOption('[data-testid="tier"]', 'strict');
  await page.locator('[data-testid="suggestion-toggle"]').first().uncheck();
  await page.click('[data-testid="copy"]');
  await page.click('[data-testid="copy-link"]');
  await chooseExample(page, null, 1);
  await page.selectOption('[data-testid="sort"]', 'systemd');
  await page.locator('[data-testid="doc"] summary').first().click();
  await page.click('[data-testid="share-link"]');
  await page.reload();
  await page.waitForSelector('[data-testid="exposure"]');
  await page.click('[data-testid="clear"]');
  const paths = new Set(requests.filter((u) => u.startsWith(base)).map((u) => new URL(u).pathname));
  const extra = [...paths].filter((p) => !own.has(p));
  assert.deepEqual(extra, [], 'requests beyond the app\'s own files');
  await done();
});

test('a 10 MiB paste is analyzed and shown read-only, with nothing lost', async () => {
  const { page, done } = await openPage();
  const line = '# padding line for the large paste test .................................\n';
  const big = `[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\n${line.repeat(Math.ceil((10 << 20) / line.length))}`;
  assert.equal(await paste(page, big), false, 'the page let the text area take 10 MiB');
  await page.waitForSelector('[data-testid="big-text"]');
  assert.match(await text(page, 'big-text'), /10\.0 MiB, (counting lines|\d+ lines)/);
  // Analyzed a moment later, in steps; its lines are counted in a step of their own.
  await page.waitForFunction(() => !document.querySelector('[data-testid="pending"]'));
  const lines = big.split('\n').length;
  assert.match(await text(page, 'big-text'), new RegExp(`10\\.0 MiB, ${lines} lines`));
  assert.equal(await page.$eval('[data-testid="unit"]', (u) => u.dataset.unit), 'unit.service');
  const privateTmp = await page.$eval('[data-testid="check"][data-json-field="PrivateTmp"]', (tr) => tr.className);
  assert.equal(privateTmp, 'pass');
  // No link can carry it: the page says so and offers the file, which holds the whole text.
  assert.match(await text(page, 'link-warning'), /too large for a link/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download"]')]);
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), big);
  // Clear brings the text area back.
  await page.click('[data-testid="clear"]');
  await page.waitForSelector('[data-testid="unit-input"]');
  await done();
});

test('450,000 short lines from a link: read-only, analyzed in steps, and kept for a reload', async () => {
  const many = `[Service]\nExecStart=/usr/bin/true\n${'x\n'.repeat(450000)}`;
  // Too many lines for the text area (not too many bytes): the read-only view, at once.
  const { page, done } = await openPage(`#unit=${payloadOf(many)}&v=252`, {}, '[data-testid="big-text"]');
  assert.equal(await page.$('[data-testid="unit-input"]'), null);
  await page.waitForFunction(() => !document.querySelector('[data-testid="pending"]'));
  assert.match(await text(page, 'big-text'), /0\.9 MiB, 450003 lines/);
  const score = await text(page, 'exposure');
  if (hasSystemdAnalyze) {
    // The installed systemd-analyze (252) reads the same 450,000 lines.
    assert.equal(score, systemdScore('many.service', { 'many.service': many })[0]);
  } else {
    assert.match(score, SCORE);
  }
  assert.match(await page.textContent('.diagnostics h2'), /Diagnostics \(450000\)/);
  // Its lines are numbered as written (a diagnostic for line 3, the first "x").
  assert.equal(await page.$eval('[data-testid="diagnostic"]', (li) => li.dataset.line), '3');
  // Once edited (here: the text cleared and pasted again), it is the user's and kept.
  await page.click('[data-testid="clear"]');
  await page.waitForSelector('[data-testid="unit-input"]');
  assert.equal(await paste(page, many), false, 'the page took the paste over');
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, many);
  await page.goto(base);
  await page.waitForSelector('[data-testid="big-text"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="pending"]'));
  assert.match(await text(page, 'big-text'), /0\.9 MiB, 450003 lines/);
  assert.match(await text(page, 'exposure'), SCORE);
  await done();
});

test('a text with hundreds of problems lists 200 and counts the rest', async () => {
  const { page, done } = await openPage();
  const garbage = `[Service]\nExecStart=/usr/bin/true\n${Array.from({ length: 300 }, (_, i) => `NoSuchSetting${i}=1`).join('\n')}\n`;
  await page.fill('[data-testid="unit-input"]', garbage);
  await page.waitForSelector('[data-testid="diagnostics-more"]');
  assert.equal(await page.$$eval('[data-testid="diagnostic"]', (d) => d.length), 200);
  assert.match(await text(page, 'diagnostics-more'), /and 100 more/);
  await done();
});

test('a 10 MiB systemctl cat of thousands of units is analyzed in steps and summarized', async () => {
  const { page, done } = await openPage();
  const parts = [];
  for (let size = 0; size < 10 << 20; ) {
    const i = parts.length;
    parts.push(`# /lib/systemd/system/svc${i}.service\n[Service]\nExecStart=/usr/bin/svc${i}\n${i % 2 ? 'PrivateTmp=yes\n' : ''}Environment=PAD=${'x'.repeat(2000)}\n`);
    size += parts[i].length;
  }
  const n = parts.length;
  await paste(page, parts.join(''));
  await page.waitForSelector('[data-testid="pending"]');
  await page.waitForSelector('[data-testid="summary"]', { timeout: 60_000 });
  assert.equal(await page.$('[data-testid="pending"]'), null);
  assert.equal(await page.textContent('.summary-area h2'), `${n} units`);
  assert.equal(await page.$$eval('[data-testid="summary-row"]', (r) => r.length), 200);
  assert.match(await text(page, 'summary-more'), new RegExp(`and ${n - 200} more, not listed`));
  const rows = await page.$$eval('[data-testid="summary-row"]', (r) => r.slice(0, 2).map((x) => x.cells[1].textContent));
  assert.notEqual(rows[0], rows[1], 'PrivateTmp= should change the score of every other unit');
  // A unit past the first 200 is found by name and shown.
  await page.fill('[data-testid="summary-filter"]', 'SVC4001.');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="summary-row"]').length === 2);
  assert.match(await page.textContent('.summary-area h2'), new RegExp(`^${n} units, 1 matching$`));
  await page.click('[data-testid="summary-row"][data-unit="svc4001.service"] button');
  await page.waitForFunction(() => document.querySelector('[data-testid="unit"]').dataset.unit === 'svc4001.service');
  await done();
});

test('everything can be reached from the keyboard, with a visible focus', async () => {
  const { page, done } = await openPage(`#unit=${payloadOf(BARE)}`);
  const reached = new Set();
  const invisible = [];
  const wanted = ['open-files', 'clear', 'examples', 'kind', 'unit-input', 'share-link', 'copy-link', 'tier', 'suggestion-toggle', 'copy', 'sort', 'failing-only', 'group', 'in:doc'];
  // (The breakdown, each row with its folded text and its links, comes before the override.)
  for (let i = 0; i < 600 && !wanted.every((id) => reached.has(id)); i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      // A file input hidden inside its label shows its focus on the label; the text area on
      // the editor around it (with its gutter).
      const frame = el.closest('label.button') ?? el.closest('.editor');
      const shown = frame ? getComputedStyle(frame) : style;
      return {
        id: el.dataset.testid ?? (el.closest('[data-testid]')?.dataset.testid ? `in:${el.closest('[data-testid]').dataset.testid}` : el.tagName),
        outline: shown.outlineStyle !== 'none' && shown.outlineWidth !== '0px',
      };
    });
    if (!f) continue;
    reached.add(f.id);
    if (!f.outline) invisible.push(f.id);
  }
  for (const id of wanted) {
    assert.ok(reached.has(id), `Tab never reaches ${id} (reached: ${[...reached].join(', ')})`);
  }
  assert.deepEqual(invisible, [], 'focused without a visible outline');
  // A suggestion can be unticked from the keyboard.
  await page.focus('[data-testid="suggestion-toggle"]');
  const before = await text(page, 'override-after');
  await page.keyboard.press('Space');
  await page.waitForFunction((b) => document.querySelector('[data-testid="override-after"]').textContent !== b, before);
  await done();
});

/** The shares the breakdown shows, as numbers ('' for rows that add nothing). */
const shares = (page) =>
  page.$$eval('[data-testid="share"]', (cells) =>
    cells.map((c) => c.textContent.trim()).filter(Boolean).map((t) => (t === '<0.1' ? 0.05 : Number(t))),
  );

test('the score explains itself: its scale, systemd\'s bands, a sentence, each row\'s share', async () => {
  const { page, done } = await openPage('', { viewport: { width: 1280, height: 900 } });
  const score = Number(await text(page, 'exposure'));
  const predicate = await text(page, 'predicate');
  assert.match(await text(page, 'meaning'), new RegExp(`${score.toFixed(1)} of 10 — lower is better`));
  // The bands, lowest first, each from where it begins; this unit's band is marked and holds
  // its score.
  const bands = await page.$$eval('[data-testid="bands"] li', (lis) =>
    lis.map((li) => ({ p: li.dataset.predicate, from: Number(li.querySelector('.from').textContent.replace('from ', '')), current: li.getAttribute('aria-current') === 'true' })),
  );
  assert.deepEqual(bands.map((b) => b.p), PREDICATES);
  const at = bands.findIndex((b) => b.current);
  assert.equal(bands[at].p, predicate);
  assert.ok(bands[at].from <= score && (at === bands.length - 1 || score < bands[at + 1].from), JSON.stringify(bands));
  // The sentence counts the checks as the breakdown shows them.
  const marks = await page.$$eval('[data-testid="check"]', (rows) => rows.map((r) => r.className));
  const passed = marks.filter((c) => c === 'pass').length;
  const applies = marks.filter((c) => c !== 'na').length;
  assert.match(await text(page, 'sentence'), new RegExp(`passes ${passed} of the ${applies} checks`));
  // The shares add up to the score (each is rounded to a tenth).
  const s = await shares(page);
  const sum = s.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - score) <= 0.05 * s.length + 0.1, `shares add up to ${sum}, the score is ${score}`);
  // The first screen shows the score, its meaning and the first checks: the breakdown starts
  // right under the score (it started ~2,100 px down, below the override).
  const top = await page.$eval('table.checks', (t) => t.getBoundingClientRect().top + scrollY);
  assert.ok(top < 900, `the breakdown starts ${top}px down`);
  const first = await page.$eval('[data-testid="check"]', (r) => r.getBoundingClientRect().top);
  assert.ok(first < 900, `the first check is ${first}px down`);
  // Grouped by theme, each group says what it adds; the subtotals add up to the score.
  await page.check('[data-testid="group"]');
  const subtotals = await page.$$eval('[data-testid="group-subtotal"]', (els) =>
    els.map((e) => Number(e.textContent.match(/([\d.]+) of/)?.[1] ?? 0.05)),
  );
  assert.equal(subtotals.length, await page.locator('[data-testid="group-title"]').count());
  const total = subtotals.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - score) <= 0.05 * subtotals.length + 0.1, `subtotals ${subtotals}`);
  // A suggestion names the failing rows it fixes (rows named after its setting).
  const fixes = await page.$$eval('[data-testid="suggestion"]:has([data-testid="fixes"])', (lis) =>
    lis.map((li) => ({ setting: li.dataset.setting, fixes: li.querySelector('[data-testid="fixes"]').textContent })),
  );
  assert.ok(fixes.length >= 5, `only ${fixes.length} suggestions name the rows they fix`);
  const failing = await page.$$eval('[data-testid="check"].fail td.name', (tds) => tds.map((td) => td.textContent));
  for (const f of fixes) {
    const named = f.fixes.replace(/^Fixes /, '').replace(/( and \d+ more)?\.$/, '').split(', ');
    for (const n of named) {
      assert.ok(n.startsWith(`${f.setting}=`) && failing.includes(n), `${f.setting}: ${n} is not a failing row of it`);
    }
  }
  // Each failing row a suggestion fixes links to that suggestion.
  const links = await page.$$eval('[data-testid="check"]:has([data-testid="fix-link"])', (trs) =>
    trs.map((tr) => ({ name: tr.querySelector('td.name').textContent, setting: tr.querySelector('[data-testid="fix-link"]').dataset.setting })),
  );
  assert.ok(links.length >= 5, `only ${links.length} rows link to a suggestion`);
  for (const l of links) {
    assert.ok(l.name.startsWith(`${l.setting}=`), `${l.name} links to ${l.setting}`);
    assert.equal(await page.locator(`[data-testid="suggestion"][data-setting="${l.setting}"]`).count(), 1);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'first-screen-1280.png') });
  await done();
});

test('an empty text, or one with no [Service] yet, gets what to paste instead of a score', async () => {
  const { page, done } = await openPage();
  await page.click('[data-testid="clear"]');
  await page.waitForSelector('[data-testid="empty-state"]');
  assert.match(await text(page, 'empty-state'), /Paste a service/);
  assert.equal(await page.locator('[data-testid="exposure"]').count(), 0, 'a score for an empty text');
  assert.equal(await page.locator('[data-testid="override"]').count(), 0, 'an override for an empty text');
  assert.equal(await page.locator('[data-testid="diagnostic"]').count(), 0, 'errors for an empty text');
  await page.fill('[data-testid="unit-input"]', '[Unit]\nDescription=half typed\n');
  await page.waitForFunction(() => /No \[Service\] section yet/.test(document.querySelector('[data-testid="empty-state"]')?.textContent));
  assert.equal(await page.locator('[data-testid="exposure"]').count(), 0, 'a score for a unit with no [Service]');
  // Its examples load, setting the user's text aside.
  await page.click('[data-testid="empty-example"][value="hardened"]');
  await page.waitForSelector('[data-testid="exposure"]');
  assert.equal(await page.locator('[data-testid="empty-state"]').count(), 0);
  assert.match(await text(page, 'set-aside'), /previous text \(\d+ lines?\) is kept/);
  await done();
});

test('a unit pasted without its # /path header can be named, and the steps use the name', async () => {
  const { page, done } = await openPage();
  await page.fill('[data-testid="unit-input"]', BARE);
  await page.waitForSelector('[data-testid="unit"][data-unit="unit.service"]');
  assert.match(await text(page, 'name-hint'), /what is the unit called/);
  assert.equal(await page.getAttribute('[data-testid="unit-name"]', 'placeholder'), 'unit.service');
  await page.fill('[data-testid="unit-name"]', 'shop.service');
  await page.press('[data-testid="unit-name"]', 'Enter');
  await page.waitForSelector('[data-testid="unit"][data-unit="shop.service"]');
  const steps = await text(page, 'steps');
  assert.match(steps, /systemctl edit shop\.service/);
  assert.doesNotMatch(steps, /unit\.service/);
  // Install, check that it still runs, and undo: the advisor's own steps, as the CLI prints them.
  assert.match(steps, /systemctl restart shop\.service && systemctl is-active shop\.service/);
  assert.match(steps, /journalctl -u shop\.service -b -n 50/);
  assert.match(steps, /systemctl revert shop\.service/);
  assert.match(steps, /rm \/etc\/systemd\/system\/shop\.service\.d\/exposure-hardening\.conf/);
  await done();
});

test('the examples menu never loads on an arrow key, and never loses the user\'s text', async () => {
  const { page, done } = await openPage();
  await page.fill('[data-testid="unit-input"]', BARE);
  await page.focus('[data-testid="examples"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(200);
  assert.equal(await inputOf(page), BARE, 'an arrow key on the closed menu changed the text');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="example-item"]', { state: 'visible' });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value !== t, BARE);
  assert.equal(await page.locator('[data-testid="example-item"]').first().isVisible(), false, 'the menu stays open');
  await page.click('[data-testid="switch-back"]');
  assert.equal(await inputOf(page), BARE);
  await done();
});

test('"From: line N" selects that line in the editor', async () => {
  const { page, done } = await openPage();
  await page.fill('[data-testid="unit-input"]', BARE + 'PrivateNetwork=yes\n');
  const row = page.locator('[data-testid="check"][data-json-field="PrivateNetwork"]');
  await row.locator('[data-testid="doc"] summary').click();
  const origin = row.locator('[data-testid="origin"]').first();
  assert.match(await origin.innerText(), /^line 6: PrivateNetwork=yes/);
  await origin.click();
  const selected = await page.$eval('[data-testid="unit-input"]', (t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, 'PrivateNetwork=yes');
  await done();
});

test('layout: the copy button covers no text, long lines wrap, check names never break mid-word', async () => {
  const { page, done } = await openPage('', { viewport: { width: 1280, height: 900 } });
  const boxes = await page.evaluate(() => {
    const r = (e) => e.getBoundingClientRect();
    const pre = document.querySelector('[data-testid="override"]');
    const copy = r(document.querySelector('[data-testid="copy"]'));
    const text = document.createRange();
    text.selectNodeContents(pre);
    const overlaps = [...text.getClientRects()].some((t) => t.left < copy.right && copy.left < t.right && t.top < copy.bottom && copy.top < t.bottom);
    return { overlaps, scroll: pre.scrollWidth, width: pre.clientWidth };
  });
  assert.equal(boxes.overlaps, false, 'the copy button covers the drop-in');
  assert.ok(boxes.scroll <= boxes.width, `the drop-in is ${boxes.scroll}px wide in a ${boxes.width}px box`);
  // What is copied is the drop-in itself: its long lines unbroken.
  assert.match(await text(page, 'override'), /^CapabilityBoundingSet=~\S+( \S+)+$/m);
  // Each part of a name (broken only after its =, | or ( ) sits on one line.
  const broken = await page.$$eval('[data-testid="check"] td.name', (cells) =>
    cells.flatMap((c) => {
      // The name's words: split where the page allows a break, after =, | or (.
      const text = document.createRange();
      text.selectNodeContents(c);
      const parts = c.textContent.split(/(?<=[=|(])/);
      const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
      const nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      const all = nodes.map((n) => n.textContent).join('');
      if (all !== parts.join('')) return [`${all}: text differs`];
      // Each part's characters sit on one line.
      let at = 0;
      const broken = [];
      for (const part of parts) {
        const tops = new Set();
        for (let i = 0; i < part.length; i++, at++) {
          let k = at;
          const node = nodes.find((n) => (k < n.textContent.length ? true : ((k -= n.textContent.length), false)));
          const r = document.createRange();
          r.setStart(node, k);
          r.setEnd(node, k + 1);
          const rect = r.getClientRects()[0];
          if (rect) tops.add(Math.round(rect.top));
        }
        if (tops.size > 1) broken.push(part);
      }
      return broken;
    }),
  );
  assert.deepEqual(broken, [], 'check names broken mid-word');
  await done();
});

/** The page's width, and the first elements (outside `exempt`, which scroll) reaching past the screen. */
const widerThanScreen = (page, exempt) =>
  page.evaluate((exempt) => ({
    page: document.documentElement.scrollWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => !e.closest(exempt))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => `${e.tagName}.${e.className}`)
      .slice(0, 5),
  }), exempt);

test('on a 390 px phone nothing is wider than the screen, diagnostics included', async () => {
  const long = '/etc/systemd/system/arathervery_long_unit_name_for_a_phone_screen.service';
  const cat = `# ${long}\n[Service]\nExecStart=/usr/bin/x\nNoSuchSetting=1\n\n# ${long}.d/some_quite_long_drop_in_name.conf\n[Service]\nAlsoUnknown=2\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_ADMIN CAP_NET_RAW CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_DAC_OVERRIDE CAP_CHOWN CAP_FOWNER\n`;
  const phone = await openPage(`#unit=${payloadOf(cat)}`, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await phone.page.waitForSelector('[data-testid="diagnostic"]');
  const widths = await widerThanScreen(phone.page, '.table-wrap, textarea, .editor, pre.preview');
  assert.ok(widths.page <= 390, `the page is ${widths.page}px wide on a 390px phone`);
  assert.deepEqual(widths.wide, [], 'elements wider than the phone');
  await phone.page.locator('[data-testid="diagnostic"]').first().scrollIntoViewIfNeeded();
  await phone.page.screenshot({ path: path.join(ARTIFACTS, 'phone-diagnostics.png') });
  await phone.done();
});

test('a broken link says so plainly and keeps the user\'s text', async () => {
  const { page, done } = await openPage();
  await page.fill('[data-testid="unit-input"]', BARE);
  await page.evaluate(() => { location.hash = '#unit=!!!not-a-link'; });
  await page.waitForSelector('[data-testid="notice"]');
  const notice = await text(page, 'notice');
  assert.match(notice, /incomplete or damaged/);
  assert.doesNotMatch(notice, /Invalid symbol|offset \d/);
  assert.match(notice, /Your text was kept/);
  assert.equal(await inputOf(page), BARE);
  await done();
});

test('Clear can be undone, in the page and in the browser\'s storage', async () => {
  const { page, done } = await openPage();
  const mine = BARE.replace('bare', 'mine, cleared');
  await page.fill('[data-testid="unit-input"]', mine);
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, mine);
  await page.click('[data-testid="clear"]');
  await page.waitForSelector('[data-testid="empty-state"]');
  assert.equal(await inputOf(page), '');
  assert.match(await text(page, 'set-aside'), /Text cleared\. Your text \(6 lines\) is kept\./);
  assert.equal(await page.textContent('[data-testid="switch-back"]'), 'Undo');
  // The browser keeps it meanwhile: a reload (or a crash) loses nothing.
  await page.waitForFunction(() => localStorage.getItem('exposure.input') === null);
  assert.deepEqual(await kept(page), { local: null, session: null, aside: mine });
  await page.reload();
  await page.waitForSelector('[data-testid="set-aside"]');
  assert.match(await text(page, 'set-aside'), /\(6 lines\) is kept/);
  await page.click('[data-testid="switch-back"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, mine);
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, mine);
  assert.equal((await kept(page)).session, mine);
  assert.equal(await page.$('[data-testid="set-aside"]'), null, 'nothing is left set aside');
  await waitForAddress(page, mine);
  await done();
});

test('a reload right after typing shows what was typed, not the address a moment behind', async () => {
  const { page, done } = await openPage();
  await page.fill('[data-testid="unit-input"]', BARE);
  await waitForAddress(page, BARE);
  const typed = `${BARE}PrivateTmp=yes\n`;
  await page.fill('[data-testid="unit-input"]', typed);
  await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, typed);
  await page.reload(); // at once: the address bar may still carry BARE
  await page.waitForSelector('[data-testid="exposure"]');
  assert.equal(await inputOf(page), typed);
  assert.equal(await page.$('[data-testid="set-aside"]'), null);
  await done();
});

/** The view options the page shows now. */
const viewOf = (page) =>
  page.evaluate(() => ({
    sort: document.querySelector('[data-testid="sort"]').value,
    failing: document.querySelector('[data-testid="failing-only"]').checked,
    group: document.querySelector('[data-testid="group"]').checked,
    table: document.querySelector('[data-testid="table-view"]').checked,
    open: [...document.querySelectorAll('[data-testid="check"]:has(details[open])')].map((tr) => tr.dataset.jsonField),
  }));

test('links in step with the page: text, tier and view options round-trip through the address bar', async () => {
  const { page, done } = await openPage(`#unit=${payloadOf(BARE)}&tier=strict&view=systemd,failing&row=PrivateNetwork`);
  await page.waitForSelector('[data-testid="check"]');
  assert.deepEqual(await viewOf(page), { sort: 'systemd', failing: true, group: false, table: false, open: ['PrivateNetwork'] });
  assert.equal(await page.inputValue('[data-testid="tier"]'), 'strict');
  // Each change reaches the address bar once edits pause.
  await page.check('[data-testid="group"]');
  await page.waitForFunction(() => location.hash.includes('&view=systemd,failing,group&row=PrivateNetwork'));
  await page.locator('[data-testid="check"][data-json-field="PrivateNetwork"] summary').click();
  await page.waitForFunction(() => !location.hash.includes('&row='));
  await page.locator('[data-testid="check"][data-json-field="NoNewPrivileges"] summary').click();
  await page.waitForFunction(() => location.hash.endsWith('&row=NoNewPrivileges'));
  const edited = `${BARE}ProtectHome=yes\n`;
  await page.fill('[data-testid="unit-input"]', edited);
  await waitForAddress(page, edited);
  assert.match(page.url(), /&tier=strict&view=systemd,failing,group&row=NoNewPrivileges$/);
  // The address copied from the bar reopens the same page, in a fresh browser.
  const copied = page.url();
  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto(copied);
  await again.waitForSelector('[data-testid="check"]');
  assert.equal(await inputOf(again), edited);
  assert.deepEqual(await viewOf(again), { sort: 'systemd', failing: true, group: true, table: false, open: ['NoNewPrivileges'] });
  // The open row is shown: the link scrolled it to the top of the window (it may be taller).
  await again.waitForFunction(() => {
    const r = document.querySelector('[data-testid="check"][data-json-field="NoNewPrivileges"]').getBoundingClientRect();
    return r.top > -2 && r.top < innerHeight / 2 && scrollY > 0;
  }, null, { timeout: 5000 });
  assert.equal(again.url(), copied, 'the page reopened as it was does not change its address');
  await other.close();
  // An old link (no view parts) opens with the default view.
  await page.goto(`${base}#unit=${payloadOf(BARE)}`);
  await page.reload();
  await page.waitForSelector('[data-testid="check"]');
  assert.deepEqual(await viewOf(page), { sort: 'contribution', failing: false, group: false, table: false, open: [] });
  await done();
});

test('a link too long for the address bar is not put there, and the page says so', async () => {
  const { page, done } = await openPage();
  // Text that does not compress: a link of over 8 KB.
  const noise = crypto.randomBytes(9000).toString('base64');
  const long = `${BARE}Environment=NOISE=${noise}\n`;
  await setText(page, long);
  await page.waitForSelector('[data-testid="link-warning"]');
  assert.match(await text(page, 'link-warning'), /address bar no longer follows the text/);
  await page.waitForTimeout(1200);
  const hash = await page.evaluate(() => location.hash);
  assert.ok(hash.length < 8192, `the address bar carries a ${hash.length}-byte link`);
  assert.notEqual(await addressText(page), long);
  // The address is this tab's own, a step behind: a reload shows the kept text, not the older one.
  await page.waitForFunction((n) => localStorage.getItem('exposure.input')?.length === n, long.length);
  await page.reload();
  await page.waitForSelector('[data-testid="exposure"]');
  assert.equal(await inputOf(page), long);
  assert.equal(await page.$('[data-testid="set-aside"]'), null);
  await done();
});

/** The rows `systemd-analyze security` prints for `files`, as [mark, name, exposure]. */
function systemdRows(unit, files) {
  return systemdAnalyze(unit, files)
    .split('\n')
    .filter((l) => /^(✓|✗| ) \S+=/u.test(l))
    .map((l) => {
      const [mark, rest] = [l[0] === ' ' ? '' : l[0], l.slice(2)];
      return [mark, rest.split(/\s+/)[0], rest.match(/\s(\d+\.\d)\s*$/)?.[1] ?? ''];
    });
}

test('systemd\'s table: the view option shows the rows as systemd-analyze prints them', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, async () => {
  const unitText = fs.readFileSync(path.join(CORPUS, 'dev', 'apache2', 'apache2.service'), 'utf8');
  const { page, done } = await openPage(`#unit=${payloadOf(unitText)}&v=252&name=apache2.service&view=systemd`);
  await page.waitForSelector('[data-testid="check"]');
  assert.equal(await page.$('[data-testid="systemd-table"]'), null, 'the full breakdown by default');
  await page.check('[data-testid="table-view"]');
  await page.waitForSelector('[data-testid="systemd-table"]');
  assert.equal(await page.$('[data-testid="check"]'), null, 'one table at a time');
  await page.waitForFunction(() => /&view=systemd,table$/.test(location.hash));
  const shown = await page.$$eval('[data-testid="table-row"]', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)).map(([m, n, , e]) => [m, n, e]),
  );
  assert.deepEqual(shown, systemdRows('apache2.service', { 'apache2.service': unitText }));
  assert.deepEqual(
    await page.$$eval('[data-testid="systemd-table"] thead th', (ths) => ths.map((th) => th.textContent)),
    ['Result', 'NAME', 'DESCRIPTION', 'EXPOSURE'],
  );
  const [score, predicate] = systemdScore('apache2.service', { 'apache2.service': unitText });
  assert.equal(await text(page, 'systemd-table-total'), `\u2192 Overall exposure level for apache2.service: ${score} ${predicate}`);
  // failing only narrows it too; the table survives a reload (it is in the link)
  await page.check('[data-testid="failing-only"]');
  await page.waitForFunction(() => location.hash.endsWith('&view=systemd,failing,table'));
  await page.reload();
  await page.waitForSelector('[data-testid="systemd-table"]');
  const marks = await page.$$eval('[data-testid="table-row"] td.mark', (tds) => tds.map((td) => td.textContent));
  assert.ok(marks.length > 0 && marks.every((m) => m === '\u2717'), marks.join(''));
  await done();
});

test('nothing is wider than a 390 or 360 px phone, the table view included; screenshots at 1280 and 390', async () => {
  const unitText = fs.readFileSync(path.join(CORPUS, 'dev', 'apache2', 'apache2.service'), 'utf8');
  const link = `#unit=${payloadOf(unitText)}&name=apache2.service`;
  for (const width of [390, 360]) {
    for (const view of ['', '&view=table', '&view=group&row=PrivateNetwork']) {
      const phone = await openPage(link + view, { viewport: { width, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      await phone.page.waitForSelector('[data-testid="breakdown"]');
      // The tables too: they must fit, not scroll sideways.
      const w = await widerThanScreen(phone.page, 'textarea, .editor, pre.preview');
      assert.ok(w.page <= width, `the page is ${w.page}px wide on a ${width}px phone (${view || 'default view'})`);
      assert.deepEqual(w.wide, [], `elements wider than a ${width}px phone (${view || 'default view'})`);
      if (width === 390 && view === '&view=table') {
        await phone.page.locator('[data-testid="breakdown"]').scrollIntoViewIfNeeded();
        await phone.page.screenshot({ path: path.join(ARTIFACTS, 'table-390.png') });
      }
      await phone.done();
    }
  }
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    const { page, done } = await openPage(link, { viewport: { width, height } });
    await page.waitForSelector('[data-testid="breakdown"]');
    await page.screenshot({ path: path.join(ARTIFACTS, `apache2-${width}.png`) });
    await page.check('[data-testid="table-view"]');
    await page.waitForSelector('[data-testid="systemd-table"]');
    await page.locator('[data-testid="breakdown"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, `apache2-table-${width}.png`) });
    await done();
  }
});

/** Types a text, loads the example over it and edits that: two texts of the user's, both kept. */
async function twoTextsOfMine(page) {
  const first = BARE.replace('bare', 'first of mine');
  await page.fill('[data-testid="unit-input"]', first);
  await page.click('text=Example');
  await page.waitForSelector('[data-testid="set-aside"]');
  const second = `${await inputOf(page)}# edited\n`;
  await page.fill('[data-testid="unit-input"]', second);
  await page.waitForFunction((t) => sessionStorage.getItem('exposure.set-aside') === t, first);
  return [first, second];
}

test('with two texts of the user\'s (shown and set aside), no button replaces either', async () => {
  const { page, done } = await openPage();
  const [mine, edited] = await twoTextsOfMine(page);
  for (const replace of [() => chooseExample(page, 'hardened'), () => page.click('[data-testid="clear"]')]) {
    await replace();
    await page.waitForSelector('[data-testid="notice"]');
    assert.match(await text(page, 'notice'), /Nothing was replaced/);
    assert.equal(await inputOf(page), edited);
    await page.waitForFunction((t) => localStorage.getItem('exposure.input') === t, edited);
    assert.equal((await kept(page)).aside, mine);
    await page.click('[data-testid="notice"] button');
  }
  await page.click('[data-testid="forget-set-aside"]');
  await chooseExample(page, 'hardened');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value !== t, edited);
  assert.match(await text(page, 'set-aside'), /Example loaded\. Your previous text/);
  // An example is not kept over the user's text: the browser still holds the edited one.
  assert.equal((await kept(page)).local, edited);
  await done();
});

test('a link opened over two texts of the user\'s waits until one is forgotten', async () => {
  const { page, done } = await openPage();
  const [first, second] = await twoTextsOfMine(page);
  const linked = '[Service]\nExecStart=/usr/bin/linked\n';
  const link = `${base}#unit=${payloadOf(linked)}`;
  await page.goto(link);
  await page.reload();
  await page.waitForSelector('[data-testid="notice"]');
  assert.match(await text(page, 'notice'), /This link is not opened yet/);
  assert.equal(await inputOf(page), second);
  await page.waitForTimeout(1000);
  assert.equal(await addressText(page), linked, 'the link stays in the address bar');
  assert.deepEqual(await kept(page), { local: second, session: second, aside: first });
  await page.click('[data-testid="forget-set-aside"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, linked);
  assert.match(await text(page, 'set-aside'), /Opened from a link\. Your previous text/);
  await page.click('[data-testid="switch-back"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, second);
  await done();
});
