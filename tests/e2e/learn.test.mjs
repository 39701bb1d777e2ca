// The Learn view of the release bundle (dist/) in headless Chromium: search as you type, deep
// links (#learn/NAME), the breakdown's links to entries, "Try on this unit" and back, and the
// print layout. Run: trunk build --release && node --test tests/e2e/   (scripts/check.sh e2e)
//
// Every score asserted is systemd-analyze's own: the host's systemd 252, run through
// ../shared/tools/oracle-version.sh on the unit with the entry's example as a real drop-in, and
// the page is opened with &v=252.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { closeAll, launchChromium, serveBuild } from './chromium.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');
const ARTIFACTS = path.join(HERE, 'artifacts');
const ORACLE = path.resolve(HERE, '../../../shared/tools/oracle-version.sh');
// No final newline, on purpose: "Remove" must give back the text byte for byte.
const UNIT = '[Unit]\nDescription=learn\n\n[Service]\nExecStart=/usr/bin/sleep infinity\nUser=nobody';

const payloadOf = (text) => zlib.deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');

/** systemd-analyze 252's overall exposure of `unit` (as x.service), with `dropin` if given. */
function oracleScore(unit, dropin) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'learn-e2e-'));
  try {
    fs.writeFileSync(path.join(dir, 'x.service'), unit);
    if (dropin) {
      fs.mkdirSync(path.join(dir, 'x.service.d'));
      fs.writeFileSync(path.join(dir, 'x.service.d', 'zz-learn-try.conf'), dropin);
    }
    let out;
    try {
      out = execFileSync(ORACLE, ['bookworm', path.join(dir, 'x.service')], { encoding: 'utf8' });
    } catch (e) {
      out = e.stdout; // a unit above the threshold exits non-zero
    }
    const m = out.match(/Overall exposure level for x\.service: (\d+\.\d)/);
    assert.ok(m, `no overall exposure in systemd-analyze's output:\n${out}`);
    return m[1];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let server;
let browser;
let base;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), 'run `trunk build --release` first');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  ({ server, base } = await serveBuild(DIST));
  browser = await launchChromium();
});

after(() => closeAll(browser, server));

/** A fresh page at `fragment`; `done()` asserts that nothing left 127.0.0.1 and nothing failed. */
async function open(fragment, ready, viewport = { width: 1200, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  await page.goto(base + fragment);
  await page.waitForSelector(ready);
  const done = async () => {
    assert.deepEqual(requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:')), []);
    assert.deepEqual(errors, []);
    await context.close();
  };
  return { page, done };
}

const entryNames = (page) =>
  page.$$eval('[data-testid="learn-entry"]', (els) => els.map((e) => e.dataset.name));

/** Whether the element is the focused one and inside the viewport. */
const focusedInView = (page, selector) =>
  page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return document.activeElement === el && r.top >= 0 && r.top < window.innerHeight;
  });

test('Learn: reachable from the header, grouped by theme, searched as you type', async () => {
  const { page, done } = await open('', '[data-testid="unit-input"]');
  await page.click('[data-testid="learn-open"]');
  await page.waitForSelector('[data-testid="learn"]');
  assert.equal(new URL(page.url()).hash, '#learn');
  const all = await entryNames(page);
  assert.ok(all.length >= 55, `only ${all.length} entries`);
  assert.equal(new Set(all).size, all.length, 'names are unique');
  for (const name of ['ReadWritePaths', 'InaccessiblePaths', 'RuntimeDirectory', 'TemporaryFileSystem',
    'BindReadOnlyPaths', 'IPAddressAllow', 'SocketBindDeny', 'RestrictFileSystems', 'PrivateIPC',
    'ProtectSystem', 'CapabilityBoundingSet']) {
    assert.ok(all.includes(name), `${name} is missing`);
  }
  const themes = await page.$$eval('[data-testid="learn-theme"] h3', (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(themes, ['Identity', 'File system', 'Devices', 'Kernel', 'Network', 'System calls',
    'Capabilities', 'Namespaces', 'IPC', 'Resources']);
  assert.match(await page.textContent('[data-testid="learn-count"]'), new RegExp(`^${all.length} options$`));

  // Scored entries list their checks with weights; unscored ones say why they still matter.
  const ps = page.locator('[data-testid="learn-entry"][data-name="ProtectSystem"]');
  assert.match(await ps.locator('[data-testid="learn-checks"]').textContent(), /weight \d+/);
  assert.match(await ps.textContent(), /systemd\.exec\(5\)/);
  const rw = page.locator('[data-testid="learn-entry"][data-name="ReadWritePaths"]');
  assert.match(await rw.locator('[data-testid="learn-unscored"]').textContent(), /^Not scored by systemd-analyze/);
  assert.match(await rw.textContent(), /Since systemd 231/);

  // Typed one key at a time, the list narrows with each.
  await page.click('[data-testid="learn-search"]');
  await page.keyboard.type('letsen', { delay: 30 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="learn-entry"]').length < 10);
  const hits = await entryNames(page);
  assert.equal(hits[0], 'InaccessiblePaths');
  assert.match(await page.textContent('[data-testid="learn-count"]'), new RegExp(`^${hits.length} of ${all.length} options match$`));
  await page.fill('[data-testid="learn-search"]', 'paths');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="learn-entry"]')].some((e) => e.dataset.name === 'ReadOnlyPaths'));
  for (const t of await page.$$eval('[data-testid="learn-entry"]', (els) => els.map((e) => e.textContent.toLowerCase()))) {
    assert.ok(t.includes('paths'), t.slice(0, 80));
  }
  await page.fill('[data-testid="learn-search"]', 'xyzzy nothing at all');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="learn-entry"]').length === 0);

  // Back to the unit, which is still there.
  await page.click('[data-testid="learn-back"]');
  await page.waitForSelector('[data-testid="unit-input"]');
  await done();
});

test('a deep link opens its entry, scrolled to and focused', async () => {
  for (const [fragment, name] of [['#learn/ProtectSystem', 'ProtectSystem'], ['#learn/privateipc', 'PrivateIPC']]) {
    const { page, done } = await open(fragment, '[data-testid="learn"]');
    const sel = `[data-testid="learn-entry"][data-name="${name}"]`;
    await page.waitForFunction((s) => document.activeElement === document.querySelector(s), sel);
    assert.ok(await focusedInView(page, sel), `${name} is not focused in view`);
    assert.match(await page.getAttribute(sel, 'class'), /target/);
    assert.equal(await page.getAttribute(`${sel} [data-testid="learn-permalink"]`, 'href'), `#learn/${name}`);
    await done();
  }
  const { page, done } = await open('#learn/NoSuchOption', '[data-testid="learn"]');
  assert.match(await page.textContent('[data-testid="learn-missing"]'), /NoSuchOption=/);
  await done();
  // On a 390 px phone the longest entry (26 checks) fits the screen.
  const phone = await open('#learn/CapabilityBoundingSet', '[data-testid="learn"]', { width: 390, height: 844 });
  await phone.page.screenshot({ path: path.join(ARTIFACTS, 'learn-phone.png') });
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= 390));
  await phone.done();
});

test('every breakdown row links to its entry; try on the unit, then remove restores it exactly', async () => {
  const { page, done } = await open(`#unit=${payloadOf(UNIT)}&v=252`, '[data-testid="exposure"]');
  const before = await page.textContent('[data-testid="exposure"]');
  assert.equal(before, oracleScore(UNIT));

  // Every row has a link, to an entry that exists.
  const links = await page.$$eval('[data-testid="check"]', (trs) =>
    trs.map((tr) => [tr.dataset.jsonField, tr.querySelector('[data-testid="learn-link"]')?.getAttribute('href')]));
  assert.ok(links.length > 50);
  for (const [field, href] of links) assert.match(href ?? '', /^#learn\/[A-Za-z]+$/, field);
  assert.equal(links.find(([f]) => f === 'PrivateTmp')[1], '#learn/PrivateTmp');
  assert.equal(links.find(([f]) => f === 'CapabilityBoundingSet_CAP_SYS_ADMIN')[1], '#learn/CapabilityBoundingSet');

  // Row → entry.
  await page.click('[data-testid="check"][data-json-field="PrivateTmp"] [data-testid="learn-link"]');
  const sel = '[data-testid="learn-entry"][data-name="PrivateTmp"]';
  await page.waitForFunction((s) => document.activeElement === document.querySelector(s), sel);
  assert.equal(new URL(page.url()).hash, '#learn/PrivateTmp');
  assert.ok(await focusedInView(page, sel));

  // Try it: the score systemd-analyze gives the unit with the example as a drop-in.
  const example = await page.textContent(`${sel} [data-testid="learn-example"]`);
  const expected = oracleScore(UNIT, example);
  assert.notEqual(expected, before);
  await page.click(`${sel} [data-testid="try-entry"]`);
  const change = page.locator(`${sel} [data-testid="trial-change"]`);
  await change.waitFor();
  assert.equal(await change.getAttribute('data-before'), before);
  assert.equal(await change.getAttribute('data-after'), expected);
  const moved = await page.$$eval(`${sel} [data-testid="trial-moved"] li`, (lis) => lis.map((l) => l.dataset.jsonField));
  assert.ok(moved.includes('PrivateTmp'), moved.join());
  // Another entry cannot be tried meanwhile.
  assert.ok(await page.isDisabled('[data-testid="learn-entry"][data-name="PrivateDevices"] [data-testid="try-entry"]'));

  // The unit's own view shows the tried text, scored, with the trial named above it.
  await page.click('[data-testid="learn-back"]');
  await page.waitForSelector('[data-testid="unit-input"]');
  const tried = await page.inputValue('[data-testid="unit-input"]');
  assert.ok(tried.startsWith(UNIT) && tried.endsWith(example), tried);
  assert.equal(await page.textContent('[data-testid="exposure"]'), expected);
  assert.match(await page.textContent('[data-testid="trial-banner"]'), /Trying PrivateTmp= on/);

  // Remove: the exact text and score come back.
  await page.click('[data-testid="trial-banner-remove"]');
  await page.waitForFunction((b) => document.querySelector('[data-testid="exposure"]').textContent === b, before);
  assert.equal(await page.inputValue('[data-testid="unit-input"]'), UNIT);
  assert.equal(await page.locator('[data-testid="trial-banner"]').count(), 0);

  // Edited after trying: Remove takes out the tried lines and keeps the edit.
  await page.goto(`${base}#learn/NoNewPrivileges`);
  const nnp = '[data-testid="learn-entry"][data-name="NoNewPrivileges"]';
  await page.click(`${nnp} [data-testid="try-entry"]`);
  await page.locator(`${nnp} [data-testid="trial-change"]`).waitFor();
  await page.click('[data-testid="learn-back"]');
  const mine = `# my note\n${await page.inputValue('[data-testid="unit-input"]')}`;
  await page.fill('[data-testid="unit-input"]', mine);
  await page.click('[data-testid="trial-banner-remove"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="unit-input"]').value === t, `# my note\n${UNIT}`);
  await done();
});

test('print: the unit, the score and its meaning, the failing checks explained, the drop-in', async () => {
  const { page, done } = await open(`#unit=${payloadOf(UNIT)}&v=252`, '[data-testid="exposure"]');
  await page.waitForSelector('[data-testid="override"]');
  assert.equal(await page.isVisible('[data-testid="print-unit"]'), false, 'the printed unit is hidden on screen');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'print.png'), fullPage: true });
  const layout = await page.evaluate(() => {
    const shown = (el) => !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
    const all = (s) => [...document.querySelectorAll(s)];
    return {
      unit: document.querySelector('[data-testid="print-unit"] pre')?.textContent,
      unitShown: shown(document.querySelector('[data-testid="print-unit"]')),
      score: shown(document.querySelector('[data-testid="exposure"]')),
      meaning: shown(document.querySelector('[data-testid="meaning"]')),
      dropin: shown(document.querySelector('[data-testid="override"]')),
      editor: shown(document.querySelector('[data-testid="unit-input"]')),
      nav: shown(document.querySelector('.top .actions')),
      buttons: all('button:not(.origin)').filter(shown).length,
      origins: all('[data-testid="check"].fail [data-testid="origin"]').filter(shown).map((b) => b.textContent),
      failing: all('[data-testid="check"].fail').filter(shown).length,
      failingTotal: all('[data-testid="check"].fail').length,
      passing: all('[data-testid="check"].pass').filter(shown).length,
      explained: all('[data-testid="check"].fail [data-testid="doc"] p').filter(shown).length,
    };
  });
  assert.equal(layout.unit, UNIT);
  assert.ok(layout.unitShown && layout.score && layout.meaning && layout.dropin, JSON.stringify(layout));
  assert.equal(layout.editor, false);
  assert.equal(layout.nav, false);
  assert.equal(layout.buttons, 0);
  // Where a value came from stays, as text: User= is on line 6.
  assert.ok(layout.origins.some((o) => o.startsWith('line 6: User')), JSON.stringify(layout.origins));
  assert.ok(layout.failingTotal > 0 && layout.failing === layout.failingTotal, JSON.stringify(layout));
  assert.equal(layout.passing, 0);
  assert.ok(layout.explained >= layout.failing, JSON.stringify(layout));
  await done();
});
