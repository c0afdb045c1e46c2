"""Reference side of the DCR benchmark, sklearn's exact NearestNeighbors (algorithm='brute', metric='manhattan')
on the embedding Airlock's Gower distance equals when nothing is missing (numeric / range, one-hot x 0.5, so
L1 / columns = Gower). Prints JSON.
  validate_dcr.py knn DIR QUERY_ROWS REF_ROWS WIDTH COLUMNS K
      seconds for fit + kneighbors; the distances / columns and indices are written beside the inputs.
  validate_dcr.py privacy DIR ROWS WIDTH COLUMNS
      the same distance metrics as Airlock's privacyDistances on equal-sized training, holdout and synthetic
      rows (so both sides use every row as the sample): DCR, DCR share, NNDR, membership AUC, and the seconds."""
import sys, json, time
import numpy as np
import sklearn
import threadpoolctl
from sklearn.neighbors import NearestNeighbors
from sklearn.metrics import roc_auc_score


def load(folder, name, rows, width):
    return np.fromfile(f'{folder}/{name}.f64', dtype=np.float64).reshape(rows, width)


def knn(folder, nq, nr, width, columns, k):
    query, reference = load(folder, 'query', nq, width), load(folder, 'reference', nr, width)
    t0 = time.perf_counter()
    dist, idx = NearestNeighbors(n_neighbors=k, algorithm='brute', metric='manhattan').fit(reference).kneighbors(query)
    seconds = time.perf_counter() - t0
    (dist / columns).astype(np.float64).tofile(f'{folder}/sk_dist.f64')
    idx.astype(np.int32).tofile(f'{folder}/sk_idx.i32')
    return {'seconds': seconds}


def privacy(folder, rows, width, columns):
    train, holdout, synthetic = (load(folder, n, rows, width) for n in ('train', 'holdout', 'synthetic'))
    t0 = time.perf_counter()
    nn = lambda ref, k: NearestNeighbors(n_neighbors=k, algorithm='brute', metric='manhattan').fit(ref)
    to_train = nn(train, 2)
    syn, _ = to_train.kneighbors(synthetic)
    hold, _ = to_train.kneighbors(holdout)
    syn, hold = syn / columns, hold / columns
    syn_hold = nn(holdout, 1).kneighbors(synthetic)[0][:, 0] / columns
    to_syn = nn(synthetic, 1)
    members = to_syn.kneighbors(train)[0][:, 0] / columns
    others = to_syn.kneighbors(holdout)[0][:, 0] / columns
    ratio = lambda d: np.where(d[:, 1] == 0, 1.0, d[:, 0] / np.where(d[:, 1] == 0, 1.0, d[:, 1]))
    share = float(np.mean(np.where(syn[:, 0] < syn_hold, 1.0, np.where(syn[:, 0] == syn_hold, 0.5, 0.0))))
    auc = float(roc_auc_score(np.r_[np.ones(rows), np.zeros(rows)], -np.r_[members, others]))
    seconds = time.perf_counter() - t0
    p5 = lambda x: float(np.percentile(x, 5))
    return {'seconds': seconds, 'dcrSyntheticP5': p5(syn[:, 0]), 'dcrHoldoutP5': p5(hold[:, 0]), 'dcrShare': share, 'nndrP5': p5(ratio(syn)), 'holdoutNndrP5': p5(ratio(hold)), 'membershipAuc': auc}


mode, folder, *rest = sys.argv[1:]
out = knn(folder, *map(int, rest)) if mode == 'knn' else privacy(folder, *map(int, rest))
threads = max([i['num_threads'] for i in threadpoolctl.threadpool_info() if i['user_api'] == 'openmp'] or [1])
print(json.dumps({**out, 'sklearn': sklearn.__version__, 'threads': threads}))
