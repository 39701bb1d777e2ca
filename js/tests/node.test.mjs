// The npm package for Node (pkg/node, built by `make package`), through its JavaScript API only:
// every dev-corpus unit scored exactly as systemd 252 printed it, the advisor's prediction
// checked by the installed systemd-analyze, explain, a policy, the link format, bad input.
// Run: node --test js/tests/   (scripts/check.sh step `package`)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const engine = require(path.join(root, process.env.EXPOSURE_PKG ?? 'pkg', 'node'));
const corpus = process.env.EXPOSURE_CORPUS ?? path.resolve(root, '../shared/corpus');

const records = (file) =>
  zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));

/** A unit and its drop-ins as `systemctl cat` prints them. */
function catText(dir, r) {
  const unit = r.unit;
  const dropins = [...(r.dropins ?? [])].sort((a, b) =>
    path.basename(a).localeCompare(path.basename(b)),
  );
  let text = `# /usr/lib/systemd/system/${path.basename(r.file)}\n${fs.readFileSync(path.join(dir, r.file), 'utf8')}`;
  for (const d of dropins) {
    if (!text.endsWith('\n')) text += '\n';
    text += `\n# /etc/systemd/system/${unit}.d/${path.basename(d)}\n${fs.readFileSync(path.join(dir, d), 'utf8')}`;
  }
  return text;
}

test('every dev-corpus unit scores exactly as systemd 252 printed it', () => {
  const dir = path.join(corpus, 'dev');
  const all = records(path.join(dir, 'expected.jsonl.gz'));
  let exact = 0;
  let refusals = 0;
  const failures = [];
  for (const r of all) {
    const loaded = r.loaded !== false && r.exit_code === 0;
    let result;
    if (!loaded) {
      // A masked unit (a symlink to /dev/null) is an empty file: systemd refuses it.
      result = engine.analyze('', { kind: 'unit', unit: r.unit, systemdVersion: '252' });
      if (result.units[0]?.refused) refusals++;
      else failures.push(`${r.unit}: systemd refuses it, the package scored it`);
      continue;
    }
    result = engine.analyze(catText(dir, r), { kind: 'cat', systemdVersion: '252' });
    const u = result.units.find((x) => x.unit === r.assessed_as);
    if (!u) {
      failures.push(`${r.unit}: no unit ${r.assessed_as} in ${result.units.map((x) => x.unit)}`);
      continue;
    }
    const problems = [];
    if (u.refused) problems.push(`refused: ${u.refused}`);
    if (u.exposure !== Number(r.exposure)) problems.push(`exposure ${u.exposure} != ${r.exposure}`);
    if (u.predicate !== r.predicate) problems.push(`predicate ${u.predicate} != ${r.predicate}`);
    try {
      assert.deepStrictEqual(u.checks, r.checks);
    } catch {
      problems.push('rows differ');
    }
    if (problems.length) failures.push(`${r.unit}: ${problems.join('; ')}`);
    else exact++;
  }
  console.log(`package: ${exact} exact, ${refusals} refusals matched, of ${all.length} units`);
  assert.deepStrictEqual(failures, []);
  assert.equal(exact + refusals, all.length);
});

test('the predicted score is what the installed systemd-analyze prints with the drop-in', () => {
  const dir = path.join(corpus, 'dev');
  const picks = ['nginx.service', 'ssh.service', 'cron.service', 'rsyslog.service', 'chrony.service'];
  const all = records(path.join(dir, 'expected.jsonl.gz')).filter((r) => picks.includes(r.unit));
  assert.ok(all.length >= 3, 'corpus has the picked units');
  for (const r of all) {
    for (const tier of ['safe', 'moderate', 'strict']) {
      const text = fs.readFileSync(path.join(dir, r.file), 'utf8');
      const [advice] = engine.suggest(text, { unit: r.unit, tier, systemdVersion: '252' });
      assert.equal(advice.unit, r.unit);
      assert.equal(typeof advice.exposure_after, 'number');
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-js-'));
      try {
        fs.writeFileSync(path.join(tmp, r.unit), text);
        fs.mkdirSync(path.join(tmp, `${r.unit}.d`));
        fs.writeFileSync(path.join(tmp, `${r.unit}.d`, 'zz-exposure.conf'), advice.dropin);
        const out = execFileSync(
          'systemd-analyze',
          ['security', '--offline=yes', '--no-pager', path.join(tmp, r.unit)],
          { cwd: tmp, env: { ...process.env, SYSTEMD_UNIT_PATH: '' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
        const m = out.match(/Overall exposure level for \S+: (\d+\.\d) /);
        assert.ok(m, out);
        assert.equal(advice.exposure_after, Number(m[1]), `${r.unit} ${tier}`);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
});

test('explain, checks and versions describe the registry', () => {
  const e = engine.explain('PrivateTmp=');
  assert.equal(e.json_field, 'PrivateTmp');
  assert.match(e.man, /^https:\/\/www\.freedesktop\.org\/software\/systemd\/man\/systemd\.exec\.html#PrivateTmp=$/);
  assert.ok(e.why.length > 40 && e.breaks.length > 20);
  assert.equal(engine.explain('PrivateTmp').name, 'PrivateTmp=');
  const checks = engine.checks('252');
  assert.equal(checks.length, 81);
  assert.ok(checks.every((c) => typeof c.weight === 'number' && typeof c.range === 'number'));
  const versions = engine.versions();
  assert.deepStrictEqual(
    versions.filter((v) => v.evidence === 'verified').map((v) => v.id),
    ['252', '254', '257', '262'],
  );
  assert.equal(versions.find((v) => v.default).id, '257');
  assert.throws(() => engine.explain('PrivateTnp'), /no check named "PrivateTnp"/);
  const all = engine.learn();
  assert.ok(all.length > 50);
  const [hidden] = engine.learn('letsencrypt');
  assert.equal(hidden.name, 'InaccessiblePaths');
  assert.deepStrictEqual(hidden.checks, []);
  assert.ok(hidden.unscored.length > 20);
  const tmp = all.find((e) => e.name === 'PrivateTmp');
  assert.ok(tmp.values.some(([v, since]) => v === 'disconnected' && since === '257'));
});

test('a policy changes the score as systemd-analyze --security-policy does', () => {
  const unit = '[Service]\nExecStart=/usr/bin/true\n';
  const policy = { PrivateNetwork: { weight: 0 }, UserOrDynamicUser: { weight: 0 } };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-js-'));
  try {
    fs.writeFileSync(path.join(tmp, 'p.service'), unit);
    fs.writeFileSync(path.join(tmp, 'policy.json'), JSON.stringify(policy));
    const out = execFileSync(
      'systemd-analyze',
      ['security', '--offline=yes', '--no-pager', `--security-policy=${path.join(tmp, 'policy.json')}`, path.join(tmp, 'p.service')],
      { cwd: tmp, env: { ...process.env, SYSTEMD_UNIT_PATH: '' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const real = Number(out.match(/Overall exposure level for \S+: (\d+\.\d) /)[1]);
    const r = engine.analyze(unit, { unit: 'p.service', policy, systemdVersion: '252' });
    assert.equal(r.units[0].exposure, real);
    assert.notEqual(r.units[0].exposure, engine.analyze(unit, { unit: 'p.service', systemdVersion: '252' }).units[0].exposure);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('bad input: Errors that say what is wrong, and diagnostics with line and column', () => {
  assert.throws(() => engine.analyze('x', { systemdVersion: '999' }), (e) => e instanceof Error && /unknown systemdVersion "999"/.test(e.message));
  assert.throws(() => engine.analyze('x', { tier: 'safe' }), /unknown option "tier"/);
  assert.throws(() => engine.analyze('x', { kind: 'yaml' }), /kind must be/);
  assert.throws(() => engine.analyze('x', { unit: 'not a unit' }), /not a unit name/);
  assert.throws(() => engine.analyze('x', 'nope'), /options must be an object/);
  assert.throws(() => engine.suggest('Id=x.service\nUser=root\n', { kind: 'show' }), /needs the unit's files/);
  const text = '[Service]\nExecStart=/usr/bin/true\nProtectSystem=strict ProtectHome=yes\n  ProtectSytem=strict\n';
  const r = engine.analyze(text, { unit: 'x.service' });
  const d = r.units[0].diagnostics.find((x) => x.code === 'unknown-key');
  assert.equal(d.line, 4);
  // the column counts characters from the start of the line to the span
  assert.equal(d.column, text.slice(0, d.span.start).split('\n').pop().length + 1);
  assert.ok(r.units[0].diagnostics.every((x) => x.line === null || x.column >= 1));
  assert.match(d.help, /did you mean ProtectSystem=\?/);
  // Any text at all is analyzed, never a trap.
  for (const text of ['', '\u0000\u0001', '[Service', '='.repeat(10000), '\ud800'.repeat(3)]) {
    assert.equal(typeof engine.analyze(text).schema_version, 'number');
  }
});

test('links round-trip and a damaged one is an Error', () => {
  const state = { text: '[Service]\nExecStart=/usr/bin/true\n', tier: 'strict', systemdVersion: '252', unit: 'a.service', leftOut: [['a.service', 'PrivateNetwork']] };
  const fragment = engine.encodeLink(state);
  assert.match(fragment, /^#unit=[A-Za-z0-9_-]+&tier=strict&v=252&name=a\.service&off=a\.service:PrivateNetwork$/);
  assert.deepStrictEqual(engine.decodeLink(`https://example.org/exposure/${fragment}`), state);
  assert.throws(() => engine.decodeLink('#unit=!!!'), /the link is damaged/);
});

test('exercise links round-trip: the teacher\'s, the student\'s answer, and bad goals refused', () => {
  const original = '[Service]\nExecStart=/usr/bin/true\n';
  const teacher = { text: original, exercise: { goal: 3.5, hide: ['advice', 'fixes'] } };
  const t = engine.encodeLink(teacher);
  assert.match(t, /&goal=3\.5&hide=advice,fixes$/);
  assert.deepStrictEqual(engine.decodeLink(t), teacher);
  const answer = { text: original + 'PrivateTmp=yes\n', exercise: { goal: 3, original } };
  const a = engine.encodeLink(answer);
  assert.match(a, /&goal=3\.0&orig=[A-Za-z0-9_-]+$/);
  assert.deepStrictEqual(engine.decodeLink(a), answer);
  // A link made before classroom mode, or with a goal it cannot read, is no exercise.
  assert.equal(engine.decodeLink(`${engine.encodeLink({ text: original })}&goal=11`).exercise, undefined);
  for (const goal of [11, -1, 3.25, '3', NaN]) {
    assert.throws(() => engine.encodeLink({ text: original, exercise: { goal } }), /exercise: goal must be/);
  }
  assert.throws(() => engine.encodeLink({ text: original, exercise: { goal: 2, hide: ['answers'] } }), /hide takes/);
});
