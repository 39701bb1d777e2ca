// usage: node scripts/wasm-sections.mjs FILE.wasm
// Prints the raw and gzip -9 size of a WebAssembly file's code section (the functions) and
// data section (strings and static tables), so the size report shows which of the two grows.
import fs from 'node:fs';
import zlib from 'node:zlib';

const bytes = fs.readFileSync(process.argv[2]);
const leb = (at) => {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
};
const names = { 10: 'code', 11: 'data' };
let at = 8;
while (at < bytes.length) {
  const id = bytes[at++];
  const [size, start] = leb(at);
  at = start + size;
  if (!(id in names)) continue;
  const body = bytes.subarray(start, at);
  const gz = zlib.gzipSync(body, { level: 9 }).length;
  console.log(`  wasm ${names[id]} section`.padEnd(45) + `${String(size).padStart(10)} ${String(gz).padStart(10)}`);
}
