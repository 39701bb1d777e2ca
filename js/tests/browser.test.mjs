// The npm package for browsers (pkg/web, built by `make package`), imported by a plain HTML page
// with no bundler (examples/browser.html) in headless Chromium: the page's score must equal the
// Node package's for the same text, and follow an edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { closeAll, launchChromium, serveBuild } from '../../tests/e2e/chromium.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const node = createRequire(import.meta.url)(path.join(root, 'pkg', 'node'));

test('a plain page imports pkg/web and scores as the Node package does', async () => {
  let browser;
  let server;
  try {
    const served = await serveBuild(root);
    server = served.server;
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${served.base}examples/browser.html`);
    const score = page.locator('#score');
    const expected = (text) => {
      const [u] = node.analyze(text, { unit: 'example.service' }).units;
      return `${u.exposure.toFixed(1)} ${u.predicate}`;
    };
    const first = await page.locator('#unit').inputValue();
    await assert.doesNotReject(() => score.filter({ hasText: expected(first) }).waitFor({ timeout: 10000 }));
    const edited = '[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\nPrivateNetwork=yes\nDynamicUser=yes\n';
    assert.notEqual(expected(edited), expected(first));
    await page.locator('#unit').fill(edited);
    await assert.doesNotReject(() => score.filter({ hasText: expected(edited) }).waitFor({ timeout: 10000 }));
    assert.deepStrictEqual(errors, []);
  } finally {
    await closeAll(browser, server);
  }
});
