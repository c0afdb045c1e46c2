# The Python side of the validation benchmark: the same metric families on the same data, with scipy and
# sklearn (the tools the metric tests compare against). Prints seconds per stage as JSON.
import json, sys, time, warnings
warnings.simplefilter('ignore')
import numpy as np, pandas as pd
from scipy.stats import ks_2samp
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_predict, StratifiedKFold
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import NearestNeighbors

d = json.load(open(sys.argv[1]))
types = d['types']
frames = {k: pd.DataFrame(d[k], columns=d['header']) for k in ('train', 'holdout', 'synthetic')}
for f in frames.values():
    for c, t in types.items():
        f[c] = pd.to_numeric(f[c]) if t == 'integer' else f[c].astype('object')
out = {}
num = [c for c, t in types.items() if t == 'integer']
cat = [c for c, t in types.items() if t != 'integer']
tr, ho, sy = frames['train'], frames['holdout'], frames['synthetic']

t = time.perf_counter()
for c in num: ks_2samp(tr[c].dropna(), sy[c].dropna())
for c in cat:
    p = tr[c].value_counts(normalize=True); q = sy[c].value_counts(normalize=True)
    0.5 * p.subtract(q, fill_value=0).abs().sum()
tr[num].corr(); sy[num].corr()
for i, a in enumerate(d['header']):
    for b in d['header'][i + 1:]:
        if a in num and b in num: continue
        def binned(f, c):
            return pd.cut(f[c], np.histogram_bin_edges(tr[c].dropna(), 10), include_lowest=True) if c in num else f[c]
        x = pd.crosstab(binned(tr, a), binned(tr, b), normalize=True); y = pd.crosstab(binned(sy, a), binned(sy, b), normalize=True)
        0.5 * x.subtract(y, fill_value=0).abs().sum().sum()
out['shapes+pairs'] = time.perf_counter() - t

def encode(fit, *fs, skip=()):
    both = pd.concat(fit)
    cols = []
    for f in fs:
        parts = []
        for c in [c for c in num if c not in skip]:
            m, s = both[c].mean(), both[c].std() or 1
            parts.append(((f[c] - m) / s).fillna(0).to_numpy()[:, None]); parts.append(f[c].isna().to_numpy()[:, None].astype(float))
        for c in [c for c in cat if c not in skip]:
            for lv in both[c].dropna().unique(): parts.append((f[c] == lv).to_numpy()[:, None].astype(float))
        cols.append(np.hstack(parts))
    return cols

t = time.perf_counter()
rs = np.random.RandomState(0)
k = min(2000, len(tr), len(sy))
a = tr.sample(k, random_state=0); b = sy.sample(k, random_state=1)
X, = encode([a, b], pd.concat([a, b])); y = np.r_[np.zeros(k), np.ones(k)]
cv = StratifiedKFold(3, shuffle=True, random_state=0)
for model in (LogisticRegression(max_iter=1000), RandomForestClassifier(50, max_depth=12, n_jobs=1, random_state=0)):
    roc_auc_score(y, cross_val_predict(model, X, y, cv=cv, method='predict_proba')[:, 1])
out['detection'] = time.perf_counter() - t

t = time.perf_counter()
n5 = min(5000, len(tr), len(sy))
s5, t5 = sy.sample(n5, random_state=2), tr.sample(n5, random_state=3)
yh = (ho['status'] == '1').astype(int).to_numpy()
for fit in (s5, t5):
    Xf, Xh = encode([fit], fit, ho, skip=('status',))
    yf = (fit['status'] == '1').astype(int).to_numpy()
    for model in (LogisticRegression(max_iter=1000), RandomForestClassifier(50, max_depth=12, n_jobs=1, random_state=0)):
        model.fit(Xf, yf)
        p = model.predict_proba(Xh)[:, 1]
        for _ in range(200):
            i = rs.randint(0, len(yh), len(yh)); roc_auc_score(yh[i], p[i])
out['utility'] = time.perf_counter() - t

t = time.perf_counter()
def embed(f):
    parts = []
    for c in num:
        lo, hi = tr[c].min(), tr[c].max(); parts.append((f[c].to_numpy(dtype=float) / ((hi - lo) or 1))[:, None])
    for c in cat:
        for lv in tr[c].dropna().unique(): parts.append(0.5 * (f[c] == lv).to_numpy()[:, None].astype(float))
    return np.nan_to_num(np.hstack(parts))
E = {k: embed(f) for k, f in frames.items()}
nn = NearestNeighbors(n_neighbors=2, algorithm='brute', metric='manhattan', n_jobs=1).fit(E['train'])
nn.kneighbors(E['synthetic']); nn.kneighbors(E['holdout'])
m = len(ho)
ts = E['train'][rs.choice(len(E['train']), m, replace=False)]
NearestNeighbors(n_neighbors=1, algorithm='brute', metric='manhattan').fit(ts).kneighbors(E['synthetic'])
NearestNeighbors(n_neighbors=1, algorithm='brute', metric='manhattan').fit(E['holdout']).kneighbors(E['synthetic'])
ns = NearestNeighbors(n_neighbors=1, algorithm='brute', metric='manhattan').fit(E['synthetic'])
ns.kneighbors(ts); ns.kneighbors(E['holdout'])
out['distances'] = time.perf_counter() - t
print(json.dumps(out))
