// Scores every unit file of a folder with the engine's Node package (after `make package`):
//   node examples/score-folder.mjs /lib/systemd/system [257]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const { analyze } = createRequire(import.meta.url)('../pkg/node');
const [dir = '.', systemdVersion = '257'] = process.argv.slice(2);
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.service')).sort()) {
  const [u] = analyze(fs.readFileSync(path.join(dir, name), 'utf8'), { unit: name, systemdVersion }).units;
  console.log(`${name}\t${u.refused ? 'refused' : `${u.exposure.toFixed(1)}\t${u.predicate}`}`);
}
