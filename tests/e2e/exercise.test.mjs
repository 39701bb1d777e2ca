// Classroom mode end to end (issue 16 item 4), on the release build (dist/): a teacher makes an
// exercise link with the "Create exercise" dialog, a student opens it, sees the goal with the
// help folded away, edits the unit until it is solved (the score checked against the installed
// systemd-analyze, 252), and the answer link reopens the student's text with the diff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeAll, launchChromium, serveBuild } from './chromium.mjs';
import { hasSystemdAnalyze, payloadOf, systemdScore, textOf } from './oracle.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');
const ARTIFACTS = path.join(HERE, 'artifacts');
const BARE = '[Unit]\nDescription=bare\n\n[Service]\nExecStart=/usr/bin/sleep infinity\n';

let server;
let browser;
let base;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  ({ server, base } = await serveBuild(DIST));
  browser = await launchChromium();
});

after(() => closeAll(browser, server));

/** A page at `url` whose errors and CSP violations `done()` asserts are none. */
async function open(url, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  await page.goto(url);
  await page.waitForSelector('[data-testid="unit-input"]');
  const done = async () => {
    assert.deepEqual(errors, []);
    await context.close();
  };
  return { page, done };
}

const text = (page, testid) => page.textContent(`[data-testid="${testid}"]`);
const status = (page) => page.getAttribute('[data-testid="exercise"]', 'data-status');
const waitStatus = (page, s) =>
  page.waitForFunction((s) => document.querySelector('[data-testid="exercise"]')?.dataset.status === s, s);

test('an exercise: created with the dialog, solved by editing, the answer link reopens it', { skip: !hasSystemdAnalyze && 'systemd-analyze is not installed' }, async () => {
  // The teacher: a bare service, scored as the installed systemd (252).
  const teacher = await open(`${base}#unit=${payloadOf(BARE)}`);
  let page = teacher.page;
  await page.selectOption('[data-testid="systemd-version"]', '252');
  await page.waitForFunction(() => document.querySelector('[data-testid="version"]')?.textContent.startsWith('as systemd 252 '));
  const start = await text(page, 'exposure');
  assert.deepEqual([start, await text(page, 'predicate')], systemdScore('unit.service', { 'unit.service': BARE }));
  // The advisor's drop-in (the teacher sees it; the student will not, until "Show hints").
  const dropin = await text(page, 'override');
  const predicted = (await text(page, 'override-after')).match(/→ (\d+\.\d)/)[1];
  await page.click('[data-testid="exercise-create"] summary');
  // The goal proposed is what the suggested override reaches; both kinds of help folded.
  assert.equal(await page.getAttribute('[data-testid="exercise-goal"]', 'placeholder'), predicted);
  assert.ok(await page.isChecked('[data-testid="exercise-hide-advice"]'));
  assert.ok(await page.isChecked('[data-testid="exercise-hide-fixes"]'));
  // A goal that is no score gets a message and no link.
  await page.fill('[data-testid="exercise-goal"]', '12');
  await page.waitForSelector('[data-testid="exercise-goal-error"]');
  assert.equal(await page.$('[data-testid="exercise-link"]'), null);
  await page.fill('[data-testid="exercise-goal"]', predicted);
  await page.click('[data-testid="exercise-link-copy"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="exercise-link-copy"]').textContent === 'Link copied');
  const exerciseLink = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(exerciseLink.startsWith(`${base}#unit=`), exerciseLink);
  assert.ok(exerciseLink.endsWith(`&v=252&goal=${predicted}&hide=advice,fixes`), exerciseLink);
  assert.equal(textOf(exerciseLink.match(/#unit=([^&]+)/)[1]), BARE);
  assert.equal(await page.getAttribute('[data-testid="exercise-link"]', 'href'), exerciseLink.slice(base.length));
  await teacher.done();

  // The student opens it: the goal, the help folded away, a progress indicator at 0.
  const student = await open(exerciseLink);
  page = student.page;
  await page.waitForSelector('[data-testid="exercise"]');
  assert.equal(await status(page), 'working');
  assert.equal(await text(page, 'exposure'), start);
  assert.match(await page.textContent('[data-testid="exercise"] h2'), new RegExp(`down to ${predicted.replace('.', '\\.')} or below`));
  assert.equal(await page.getAttribute('[data-testid="exercise-progress"]', 'data-percent'), '0');
  assert.equal(await page.isVisible('[data-testid="override"]'), false, 'the override is folded away');
  assert.equal(await page.isVisible('[data-testid="to-override"]'), false);
  assert.ok((await page.$$('[data-testid="fix-link"]')).length > 0, 'the rows have fixes');
  assert.equal(await page.locator('[data-testid="fix-link"]').first().isVisible(), false, 'the fixes are folded away');
  assert.equal(await page.$('[data-testid="answer-link"]'), null, 'no answer before an edit');

  // One line: progress, not solved.
  const lines = dropin.split('\n').filter((l) => l && !l.startsWith('[') && !l.startsWith('#'));
  assert.ok(lines.length > 2, dropin);
  await page.fill('[data-testid="unit-input"]', `${BARE}${lines[0]}\n`);
  await page.waitForFunction((s) => document.querySelector('[data-testid="exposure"]').textContent !== s, start);
  assert.equal(await status(page), 'working');
  const partial = Number(await page.getAttribute('[data-testid="exercise-progress"]', 'data-percent'));
  assert.ok(partial > 0 && partial < 100, `progress ${partial}`);
  // A line systemd refuses the unit for: an error, not solved whatever the score.
  await page.fill('[data-testid="unit-input"]', `${BARE}${lines.join('\n')}\n[Service\n`);
  await waitStatus(page, 'errors');

  // Back to one line; "Show hints" unfolds the override and the rows' fixes.
  await page.fill('[data-testid="unit-input"]', `${BARE}${lines[0]}\n`);
  await waitStatus(page, 'working');
  await page.click('[data-testid="exercise-show-hints"]');
  assert.ok(await page.isVisible('[data-testid="override"]'));
  assert.ok(await page.locator('[data-testid="fix-link"]').first().isVisible());
  assert.equal(await page.$('[data-testid="exercise-show-hints"]'), null);
  // The student applies the rest of the advisor's lines: solved.
  const answerText = `${BARE}${lines.join('\n')}\n`;
  await page.fill('[data-testid="unit-input"]', answerText);
  await waitStatus(page, 'solved');
  const solvedScore = await text(page, 'exposure');
  assert.deepEqual([solvedScore, await text(page, 'predicate')], systemdScore('unit.service', { 'unit.service': answerText }));
  assert.ok(Number(solvedScore) <= Number(predicted), `${solvedScore} > ${predicted}`);
  assert.equal(await page.getAttribute('[data-testid="exercise-progress"]', 'data-percent'), '100');
  assert.match(await text(page, 'exercise-solved'), /Solved/);
  const added = await page.$$eval('[data-testid="exercise-diff"] .added', (els) => els.map((e) => e.textContent.trimEnd()));
  assert.deepEqual(added, lines.map((l) => `+ ${l}`));
  assert.equal(await page.$$eval('[data-testid="exercise-diff"] .removed', (els) => els.length), 0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'exercise-solved-1280.png') });

  // The answer link: the student's text, the goal and the original; not the teacher's link.
  await page.click('[data-testid="answer-link-copy"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="answer-link-copy"]').textContent === 'Link copied');
  const answerLink = await page.evaluate(() => navigator.clipboard.readText());
  assert.notEqual(answerLink, exerciseLink);
  assert.equal(textOf(answerLink.match(/#unit=([^&]+)/)[1]), answerText);
  assert.equal(textOf(answerLink.match(/&orig=([^&]+)/)[1]), BARE);
  assert.ok(answerLink.includes(`&goal=${predicted}&hide=advice,fixes&orig=`), answerLink);
  await student.done();

  // Opened elsewhere (a phone), it shows the student's text solved, with the same diff.
  const review = await open(answerLink, { width: 390, height: 844 });
  page = review.page;
  await waitStatus(page, 'solved');
  assert.equal(await page.inputValue('[data-testid="unit-input"]'), answerText);
  assert.equal(await text(page, 'exposure'), solvedScore);
  assert.deepEqual(
    await page.$$eval('[data-testid="exercise-diff"] .added', (els) => els.map((e) => e.textContent.trimEnd())),
    added,
  );
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `the page is ${wide} px wide on a 390 px phone`);
  await page.locator('[data-testid="exercise"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'exercise-solved-390.png') });
  // Leaving the exercise shows every help again and makes the link an ordinary one.
  await page.click('[data-testid="exercise-leave"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="exercise"]'));
  assert.doesNotMatch(await page.getAttribute('[data-testid="share-link"]', 'href'), /goal=/);
  await review.done();
});
