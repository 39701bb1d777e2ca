// Type-checked (not run) by `tsc --noEmit -p js/tests` in `make package-test`: the published
// declarations must describe what a user writes against them.
import {
  analyze, suggest, explain, checks, versions, encodeLink, decodeLink, learn,
  type AnalyzeResult, type Advice, type Options, type LinkState,
} from '../../pkg/node/exposure';

const opts: Options = { systemdVersion: 'debian-12', kind: 'cat', unit: 'nginx.service', policy: { PrivateNetwork: { weight: 0 } } };
const result: AnalyzeResult = analyze('[Service]\nExecStart=/usr/bin/true\n', opts);
for (const u of result.units) {
  const score: number | null = u.exposure;
  const failed: string[] = u.checks.filter((c) => c.set === false).map((c) => c.json_field);
  const lines: (number | null)[] = u.diagnostics.map((d) => d.line);
  console.log(u.unit, score, failed.length, lines, u.predicate ?? u.refused);
}
const advice: Advice[] = suggest('[Service]\nExecStart=/usr/bin/true\n', { tier: 'strict', leaveOut: ['PrivateNetwork'] });
const after: number = advice[0].exposure_after;
const gains: number[] = advice[0].lines.map((l) => l.gain);
console.log(after, gains, explain('PrivateTmp').why, explain('PrivateTmp', '252').version_note);
console.log(checks().map((c) => c.weight / c.range), versions().filter((v) => v.evidence === 'verified'));
const since: (number | null)[] = learn('paths').map((e) => e.since);
console.log(since, learn()[0].checks.map(([field, , weight]) => `${field}:${weight}`));
const state: LinkState = decodeLink(encodeLink({ text: 'x', systemdVersion: '252', leftOut: [['a.service', 'PrivateTmp']] }));
console.log(state.text, analyze(state.text).kind);
// @ts-expect-error: a tier is not an analyze option
analyze('x', { tier: 'safe' });
// @ts-expect-error: kind is one of four words
analyze('x', { kind: 'yaml' });
