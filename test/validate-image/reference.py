# Reference answers for the image metrics (test/validate-image/metrics.test.ts), from numpy, scipy, scikit-image
# and scikit-learn as Debian ships them. Reads {"tasks": [...]} as JSON on stdin and prints one JSON answer per task.
import json
import sys
import warnings

import numpy as np
from scipy import linalg, ndimage, stats
from skimage.metrics import structural_similarity
from sklearn.neighbors import NearestNeighbors

warnings.simplefilter('ignore')

MS_WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])


def frames(values, size):
    return np.asarray(values, dtype=np.float64).reshape(-1, size, size)


def intensity(t):
    u = np.asarray(t['u'], dtype=np.float64)
    v = np.asarray(t['v'], dtype=np.float64)
    hist = lambda x: np.histogram(np.clip(x, -1, 1), bins=t['bins'], range=(-1, 1))[0].tolist()
    return {'w': stats.wasserstein_distance(u, v), 'meanU': u.mean(), 'stdU': u.std(), 'meanV': v.mean(), 'stdV': v.std(), 'histU': hist(u), 'histV': hist(v)}


def ssim(t):
    a, b = frames(t['a'], t['size'])[0], frames(t['b'], t['size'])[0]
    return structural_similarity(a, b, data_range=2, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)


def ssim_terms(a, b):
    # Wang et al. with an 11x11 Gaussian of sigma 1.5 (scipy's reflect edges), cropped by the window radius.
    f = lambda x: ndimage.gaussian_filter(x, sigma=1.5, truncate=3.5, mode='reflect')
    c1, c2 = (0.01 * 2) ** 2, (0.03 * 2) ** 2
    ux, uy = f(a), f(b)
    vx, vy, vxy = f(a * a) - ux * ux, f(b * b) - uy * uy, f(a * b) - ux * uy
    lum = (2 * ux * uy + c1) / (ux ** 2 + uy ** 2 + c1)
    cs = (2 * vxy + c2) / (vx + vy + c2)
    crop = (slice(5, -5), slice(5, -5))
    return (lum * cs)[crop].mean(), cs[crop].mean()


def ms_ssim(t):
    a, b = frames(t['a'], t['size'])[0], frames(t['b'], t['size'])[0]
    scales = 0
    s = t['size']
    while scales < 5 and s >= 11:
        scales += 1
        s //= 2
    w = MS_WEIGHTS[:scales] / MS_WEIGHTS[:scales].sum()
    terms = []
    for j in range(scales):
        full, cs = ssim_terms(a, b)
        terms.append(max(full if j == scales - 1 else cs, 0.0))
        if j < scales - 1:
            h = a.shape[0] // 2
            a = a[:2 * h, :2 * h].reshape(h, 2, h, 2).mean(axis=(1, 3))
            b = b[:2 * h, :2 * h].reshape(h, 2, h, 2).mean(axis=(1, 3))
    terms = np.array(terms)
    return 0.0 if np.any(terms == 0) else float(np.prod(terms ** w))


def spectrum(t):
    size = t['size']
    x = frames(t['frames'], size)
    power = (np.abs(np.fft.fft2(x)) ** 2).mean(axis=0)
    k = np.fft.fftfreq(size) * size
    r = np.rint(np.hypot(k[None, :], k[:, None])).astype(int)
    return [float(power[r == i].mean()) for i in range(r.max() + 1)]


def frechet(t):
    a, b = np.asarray(t['a'], dtype=np.float64), np.asarray(t['b'], dtype=np.float64)
    m1, m2 = a.mean(axis=0), b.mean(axis=0)
    c1, c2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = linalg.sqrtm(c1 @ c2).real
    return float(((m1 - m2) ** 2).sum() + np.trace(c1) + np.trace(c2) - 2 * np.trace(covmean))


def ncc(t):
    d = t['size'] ** 2
    norm = lambda x: (lambda c: c / np.linalg.norm(c, axis=1, keepdims=True))(x - x.mean(axis=1, keepdims=True))
    s = norm(np.asarray(t['synthetic'], dtype=np.float64).reshape(-1, d))
    r = norm(np.asarray(t['real'], dtype=np.float64).reshape(-1, d))
    prod = s @ r.T
    return {'max': prod.max(axis=1).tolist(), 'argmax': prod.argmax(axis=1).tolist()}


def precision_recall(t):
    real, fake, k = np.asarray(t['real']), np.asarray(t['fake']), t['k']

    def radii(x):
        dist, _ = NearestNeighbors(n_neighbors=k + 1).fit(x).kneighbors(x)
        return dist[:, k]

    def inside(query, manifold):
        dist, idx = NearestNeighbors(n_neighbors=len(manifold)).fit(manifold).kneighbors(query)
        r = radii(manifold)[idx]
        return float((dist <= r).any(axis=1).mean())

    return {'precision': inside(fake, real), 'recall': inside(real, fake)}


def shifted(t):
    # Pearson correlation over the overlap for every shift up to m pixels, of a and of its left-right mirror.
    size, m = t['size'], t['m']
    a, b = frames(t['a'], size)[0], frames(t['b'], size)[0]
    best = -np.inf
    for src in (a, a[:, ::-1]):
        for dy in range(-m, m + 1):
            for dx in range(-m, m + 1):
                ys, xs = slice(max(0, -dy), min(size, size - dy)), slice(max(0, -dx), min(size, size - dx))
                yb, xb = slice(ys.start + dy, ys.stop + dy), slice(xs.start + dx, xs.stop + dx)
                best = max(best, np.corrcoef(src[ys, xs].ravel(), b[yb, xb].ravel())[0, 1])
    return float(best)


OPS = {'shifted': shifted, 'intensity': intensity, 'ssim': ssim, 'msssim': ms_ssim, 'spectrum': spectrum, 'frechet': frechet, 'ncc': ncc, 'pr': precision_recall}

tasks = json.load(sys.stdin)['tasks']
print(json.dumps([OPS[t['op']](t) for t in tasks], default=float))
