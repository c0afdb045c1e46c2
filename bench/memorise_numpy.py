# The numpy side of the memorisation benchmark (bench/validate-images.ts): the same blocked products of
# mean-centred, unit-norm frames, highest NCC and its index per synthetic frame against training and holdout.
# argv: dir synthetic train holdout size block. Reads dir/{syn,train,holdout}.f32, writes dir/numpy-{max,argmax}.bin
# and prints {"seconds": ...} (products only, as timed; loading the files is left out).
import json
import sys
import time

import numpy as np

folder, n_syn, n_train, n_hold, size, block = sys.argv[1], *map(int, sys.argv[2:7])
d = size * size


def load(name, n):
    return np.fromfile(f'{folder}/{name}.f32', dtype=np.float32).reshape(n, d)


syn, train, hold = load('syn', n_syn), load('train', n_train), load('holdout', n_hold)
t0 = time.perf_counter()


def normalise(x):
    c = x - x.mean(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)
    norm = np.linalg.norm(c, axis=1, keepdims=True)
    return np.divide(c, norm, out=np.zeros_like(c), where=norm > 0)


def nearest(s, real):
    best = np.full(len(s), -np.inf, dtype=np.float32)
    arg = np.full(len(s), -1, dtype=np.int64)
    for start in range(0, len(real), block):
        prod = s @ real[start:start + block].T
        m = prod.max(axis=1)
        better = m > best
        best[better] = m[better]
        arg[better] = prod.argmax(axis=1)[better] + start
    return best, arg


s = normalise(syn)
best_t, arg_t = nearest(s, normalise(train))
best_h, _ = nearest(s, normalise(hold))
seconds = time.perf_counter() - t0
np.concatenate([best_t, best_h]).astype(np.float32).tofile(f'{folder}/numpy-max.bin')
arg_t.astype(np.int32).tofile(f'{folder}/numpy-argmax.bin')
print(json.dumps({'seconds': seconds}))
