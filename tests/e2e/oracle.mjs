// What the browser tests compare the page with: the real systemd-analyze (Debian 12's 252 on
// the test machine) and Node's own zlib for the `#unit=` payloads.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** The `#unit=` payload of `text`, made independently of the app: raw DEFLATE + base64url. */
export const payloadOf = (text) => zlib.deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
/** The text carried by a payload, decoded with Node's own zlib. */
export const textOf = (payload) => zlib.inflateRawSync(Buffer.from(payload, 'base64url')).toString('utf8');

/** Scores `files` ({name: text}) with systemd-analyze, unit first, drop-ins in `<unit>.d/`. */
export function systemdScore(unit, files) {
  return systemdAnalyze(unit, files).match(/Overall exposure level for \S+: (\d+\.\d) (\w+)/).slice(1);
}

/** What `systemd-analyze security` prints for `files` ({name: text}), drop-ins in `<unit>.d/`. */
export function systemdAnalyze(unit, files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-e2e-'));
  try {
    for (const [name, body] of Object.entries(files)) {
      const dst = name === unit ? path.join(dir, unit) : path.join(dir, `${unit}.d`, name);
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.writeFileSync(dst, body);
    }
    return execFileSync(
      'systemd-analyze',
      ['--no-pager', 'security', '--offline=yes', path.join(dir, unit)],
      // its warnings (one per bad line) are not needed, and can be megabytes
      { env: { ...process.env, SYSTEMD_UNIT_PATH: '', LANG: 'C.UTF-8' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const hasSystemdAnalyze = (() => {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
