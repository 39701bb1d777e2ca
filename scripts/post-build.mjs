// Trunk post-build hook (Trunk.toml [[hooks]]): finishes the staged build in $TRUNK_STAGING_DIR.
//
// 1. Content-Security-Policy: Trunk starts the app with an inline <script type="module">.
//    Rather than allow every inline script ('unsafe-inline'), the policy in index.html gets
//    the SHA-256 hash of each inline script of the built page, so exactly those run.
// 2. Service worker: writes sw.js from web/sw.js with the build's version (a hash of all its
//    files and of the template) and the list of files to cache.
//
// Node's standard library only; no network.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
if (!staging) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run through trunk build)');
  process.exit(1);
}
const indexPath = path.join(staging, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');

// 1. Hash the inline scripts into the policy.
const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
  if (/\bsrc\s*=/.test(m[1])) continue;
  hashes.push(`'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
}
const csp = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/;
const found = html.match(csp);
if (!found) {
  console.error('post-build: index.html has no Content-Security-Policy meta tag');
  process.exit(1);
}
const policy = found[2].replace(/script-src ([^;]*)/, (all, sources) => {
  const kept = sources.split(/\s+/).filter((s) => s && s !== "'unsafe-inline'" && !s.startsWith("'sha256-"));
  return `script-src ${[...kept, ...hashes].join(' ')}`;
});
if (/'unsafe-inline'/.test(policy)) {
  console.error(`post-build: the policy still allows 'unsafe-inline': ${policy}`);
  process.exit(1);
}
html = html.replace(csp, `$1${policy}$3`);
fs.writeFileSync(indexPath, html);

// 2. The service worker, versioned by the content of every file it caches and by its own
//    template (a change to the worker alone gets a cache of its own too, so a failed install
//    of it can never touch the cache of the worker in charge). ASSETS lists every file of the
//    build, in subfolders too (wasm-bindgen snippets, copied folders), except sw.js itself:
//    whatever the page loads must be in the cache for it to start with no network.
const files = fs
  .readdirSync(staging, { recursive: true })
  .map((f) => f.split(path.sep).join('/'))
  .filter((f) => f !== 'sw.js' && fs.statSync(path.join(staging, f)).isFile())
  .sort();
const template = fs.readFileSync(path.join(source, 'web', 'sw.js'), 'utf8');
const version = crypto.createHash('sha256');
for (const f of files) {
  version.update(f).update('\0').update(fs.readFileSync(path.join(staging, f)));
}
version.update('web/sw.js').update('\0').update(template);
const assets = ['./', ...files.filter((f) => f !== 'index.html')];
fs.writeFileSync(
  path.join(staging, 'sw.js'),
  template
    .replace("'__EXPOSURE_VERSION__'", JSON.stringify(version.digest('hex').slice(0, 16)))
    .replace('__EXPOSURE_ASSETS__', JSON.stringify(assets)),
);
console.log(`post-build: ${hashes.length} inline script(s) hashed; sw.js caches ${assets.length} files`);
