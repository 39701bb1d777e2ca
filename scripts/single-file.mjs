// The single-file build (`make single-file`): the release build in DIST (trunk build --release)
// turned into one HTML file that works opened from disk (file://), with no server and no network,
// for classrooms without internet.
//
//   node scripts/single-file.mjs [DIST] [OUT] [REPORT]
//   (defaults: dist, target/single-file/exposure.html, target/single-file-size.txt)
//
// * The style sheet becomes a <style> element, allowed by its SHA-256 hash in style-src.
// * wasm-bindgen's JavaScript glue (--target web, an ES module) becomes the body of one inline
//   module script: its `export`s are dropped and Trunk's loader follows it, handing the
//   WebAssembly to the glue as bytes (decoded from base64 in the same script) instead of a URL.
// * The Content-Security-Policy keeps its shape but names no origin at all: scripts only by the
//   hash of that one inline script (plus 'wasm-unsafe-eval' to compile the bytes), styles only by
//   the hash of the one style element, images only as data: URLs, nothing else. No
//   'unsafe-inline', no 'self'.
//
// Node's standard library only; no network. Fails loudly when the build does not have the
// shape this expects (one glue module, one wasm, one style sheet, Trunk's loader), rather than
// writing a file that does not start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [dist = 'dist', out = 'target/single-file/exposure.html', report = 'target/single-file-size.txt'] =
  process.argv.slice(2);

const fail = (why) => {
  console.error(`single-file: ${why}`);
  process.exit(1);
};
const sha256 = (s) => `'sha256-${crypto.createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const read = (href) => {
  const file = path.join(dist, href.replace(/^\.?\//, ''));
  if (!fs.existsSync(file)) fail(`${file} is missing (run trunk build --release)`);
  return fs.readFileSync(file);
};

if (!fs.existsSync(path.join(dist, 'index.html'))) fail(`${dist}/index.html is missing (run trunk build --release)`);
let html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');

// Trunk's loader: `import init, * as bindings from 'GLUE'; const wasm = await init({ module_or_path: 'WASM' });`
const loader = html.match(/<script type="module">([\s\S]*?)<\/script>/);
if (!loader) fail('no inline module script (Trunk\'s loader) in index.html');
const glueHref = loader[1].match(/import init, \* as bindings from '([^']+\.js)';/)?.[1];
const wasmHref = loader[1].match(/module_or_path: '([^']+\.wasm)'/)?.[1];
if (!glueHref || !wasmHref) fail(`Trunk's loader has an unexpected shape:\n${loader[1]}`);

// The glue as a classic block of a module script: `export function f` → `function f`, and the
// final `export { initSync, __wbg_init as default };` gone. The names exported become the
// `bindings` object Trunk's loader puts on window (the page benchmark calls them).
let glue = read(glueHref).toString('utf8');
if (/^\s*import\b/m.test(glue)) fail(`${glueHref} imports other modules (snippets?); inline them first`);
const exported = [];
glue = glue.replace(/^export (async function|function|class|const|let) (\w+)/gm, (all, kind, name) => {
  exported.push(name);
  return `${kind} ${name}`;
});
glue = glue.replace(/^export \{ initSync, __wbg_init as default \};\s*$/m, '');
if (/^export\b/m.test(glue)) fail(`${glueHref} has an export this script does not know: ${glue.match(/^export\b.*$/m)[0]}`);

const wasm = read(wasmHref);
// The loader is a block of its own: the glue's top level already declares names like `wasm`.
const body = `${glue}
// --- Trunk's loader, with the WebAssembly inlined by scripts/single-file.mjs ---
{
  const base64 = '${wasm.toString('base64')}';
  const s = atob(base64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  const exports = await __wbg_init({ module_or_path: bytes });
  window.wasmBindings = Object.freeze({ ${exported.join(', ')} });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: exports } }));
}
`;
if (body.includes('</script')) fail('the inlined script contains "</script"');

// The style sheet.
const cssLink = html.match(/<link rel="stylesheet" href="([^"]+\.css)"[^>]*\/?>/);
if (!cssLink) fail('no style sheet link in index.html');
const css = read(cssLink[1]).toString('utf8');
if (/url\(\s*['"]?(?!data:)/.test(css)) fail(`${cssLink[1]} refers to files (url(...)); inline them first`);
if (css.includes('</style')) fail('the style sheet contains "</style"');

// The page: the loader replaced by the inlined script, the style sheet by a style element, and
// the preload links (of files that no longer exist) removed.
html = html
  .replace(loader[0], () => `<script type="module">${body}</script>`)
  .replace(cssLink[0], () => `<style>${css}</style>`)
  .replace(/<link rel="(?:modulepreload|preload)"[^>]*>/g, '');
if (/<(?:script|link)\b[^>]*\b(?:src|href)="(?!data:)/.test(html)) {
  fail(`the page still refers to a file: ${html.match(/<(?:script|link)\b[^>]*\b(?:src|href)="(?!data:)[^>]*>/)[0]}`);
}

// The policy: nothing from any origin; the one script and the one style element by hash.
const policy = [
  "default-src 'none'",
  `script-src 'wasm-unsafe-eval' ${sha256(body)}`,
  `style-src ${sha256(css)}`,
  'img-src data:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const csp = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/;
if (!csp.test(html)) fail('index.html has no Content-Security-Policy meta tag');
html = html.replace(csp, (all, a, _old, c) => `${a}${policy}${c}`);
// The comment above the policy describes the served build; say what this one is.
html = html.replace(
  /<!-- Everything is served from this origin;[\s\S]*?-->/,
  '<!-- The single-file build (scripts/single-file.mjs): the app, its WebAssembly and its style\n' +
    '         sheet are all in this file; it loads nothing and works opened from disk. -->',
);

fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, html);
const raw = Buffer.byteLength(html);
const gz = zlib.gzipSync(html, { level: 9 }).length;
const line = `${path.basename(out)}: ${raw} bytes raw, ${gz} bytes gzip -9 (wasm ${wasm.length} bytes inlined as base64)`;
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.writeFileSync(report, `${line}\n`);
console.log(`single-file: wrote ${out}\n${line}`);
