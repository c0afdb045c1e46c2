// Child of the key-slot lock test: `count DIR N` adds 1 to DIR/counter N times, each a read-modify-write under the
// lock, pausing inside so that holders overlap if the lock ever lets two in.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withKeySlotLock } from '../../electron/core/store/keyslots';

const [dir = '', n = '0'] = process.argv.slice(2);
const counter = join(dir, 'counter');
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < Number(n); i += 1) {
  withKeySlotLock(join(dir, 'airlock.keys.json'), () => {
    const value = Number(readFileSync(counter, 'utf8'));
    Atomics.wait(pause, 0, 0, i % 7 === 0 ? 1 : 0);
    writeFileSync(counter, String(value + 1));
  });
}
console.log('done');
