"""Reference side of the CTGAN benchmark: the SDV `ctgan` package's CTGAN as Airlock builds it (electron/core/train/
models/ctgan.ts) in PyTorch CPU, on the very matrix and spans Airlock encoded: generator Residual(Linear, BatchNorm1d,
ReLU, concat) x [256, 256] over [z (128), cond] then Linear(width), tanh on tanh spans, Gumbel-softmax (tau 0.2) on
softmax spans; critic PacGAN (pac 10) of [row, cond], (Linear 256, LeakyReLU 0.2, Dropout 0.5) x 2, Linear(1);
WGAN-GP lambda 10 with the mixing weight shared within a pac group; conditional vector and training-by-sampling over
'category' spans (log-frequency), the generator's conditional cross-entropy; Adam 2e-4, betas (0.5, 0.9), weight
decay 1e-6; one critic step per generator step; batch 500. Written as SDV writes it (per-span loops), except that the
critic step uses G(z).detach() as Airlock does (SDV back-propagates into the generator there and throws it away).
Prints JSON: train and sample rows/s, threads.
Usage: ctgan_torch.py MATRIX.f32 SPANS.json ROWS WIDTH SECONDS THREADS [SAMPLE_ROWS]"""
import sys, json, time
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

path, spans_path, rows, width, seconds, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
sample_n = int(sys.argv[7]) if len(sys.argv) > 7 else 20000
torch.set_num_threads(threads)
torch.manual_seed(1)
rs = np.random.RandomState(1)
data_np = np.fromfile(path, dtype=np.float32).reshape(rows, width)
data = torch.from_numpy(data_np)
spans = json.load(open(spans_path))
EMB, GEN, DIS, BATCH, PAC, TAU, LAMBDA = 128, (256, 256), (256, 256), 500, 10, 0.2, 10.0

# Conditional vector: categorical spans, log-frequency per column, rows by category (SDV's DataSampler).
cats = [s for s in spans if s["kind"] == "category"]
cond_width = sum(s["width"] for s in cats)
offsets = np.cumsum([0] + [s["width"] for s in cats])[:-1]
rid_by_cat, log_prob, real_prob = [], [], []
for s in cats:
    block = data_np[:, s["start"]:s["start"] + s["width"]]
    rid_by_cat.append([np.nonzero(block[:, j])[0] for j in range(s["width"])])
    freq = block.sum(0)
    lp = np.log(freq + 1)
    log_prob.append(lp / lp.sum())
    real_prob.append(freq / freq.sum())
n_cat = len(cats)
overall = np.concatenate(real_prob) / n_cat if n_cat else np.zeros(0)


def sample_condvec(n):
    col = rs.choice(n_cat, n)
    cond = np.zeros((n, cond_width), dtype=np.float32)
    mask = np.zeros((n, n_cat), dtype=np.float32)
    mask[np.arange(n), col] = 1
    u = rs.rand(n)
    opt = np.array([min(np.searchsorted(np.cumsum(log_prob[c]), u[i], side="right"), len(log_prob[c]) - 1) for i, c in enumerate(col)])
    cond[np.arange(n), offsets[col] + opt] = 1
    return cond, mask, col, opt


def sample_real(col, opt):
    return data[[rs.choice(rid_by_cat[c][o]) for c, o in zip(col, opt)]]


class Residual(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.fc, self.bn = nn.Linear(i, o), nn.BatchNorm1d(o)

    def forward(self, x):
        return torch.cat([torch.relu(self.bn(self.fc(x))), x], dim=1)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        dim, seq = EMB + cond_width, []
        for d in GEN:
            seq.append(Residual(dim, d))
            dim += d
        seq.append(nn.Linear(dim, width))
        self.seq = nn.Sequential(*seq)

    def forward(self, x):
        return self.seq(x)


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        dim, seq = (width + cond_width) * PAC, []
        for d in DIS:
            seq += [nn.Linear(dim, d), nn.LeakyReLU(0.2), nn.Dropout(0.5)]
            dim = d
        seq.append(nn.Linear(dim, 1))
        self.seq = nn.Sequential(*seq)

    def forward(self, x):
        return self.seq(x.view(-1, x.size(1) * PAC))

    def penalty(self, real, fake):
        alpha = torch.rand(real.size(0) // PAC, 1, 1).repeat(1, PAC, real.size(1)).view(-1, real.size(1))
        inter = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        grad = torch.autograd.grad(self(inter), inter, torch.ones(real.size(0) // PAC, 1), create_graph=True, retain_graph=True, only_inputs=True)[0]
        return ((grad.view(-1, PAC * real.size(1)).norm(2, dim=1) - 1) ** 2).mean() * LAMBDA


def activate(raw):
    out = []
    for s in spans:
        a, b = s["start"], s["start"] + s["width"]
        out.append(torch.tanh(raw[:, a:b]) if s["activation"] == "tanh" else F.gumbel_softmax(raw[:, a:b], tau=TAU, hard=False))
    return torch.cat(out, dim=1)


def cond_loss(raw, cond, mask):
    loss = []
    for k, s in enumerate(cats):
        a, b = s["start"], s["start"] + s["width"]
        o = offsets[k]
        loss.append(F.cross_entropy(raw[:, a:b], torch.argmax(cond[:, o:o + s["width"]], dim=1), reduction="none"))
    return (torch.stack(loss, dim=1) * mask).sum() / raw.size(0)


G, D = Generator(), Critic()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)


def step():
    z = torch.randn(BATCH, EMB)
    cond, mask, col, opt = sample_condvec(BATCH)
    c1 = torch.from_numpy(cond)
    perm = rs.permutation(BATCH)
    real = sample_real(col[perm], opt[perm])
    c2 = c1[perm]
    with torch.no_grad():
        fake = activate(G(torch.cat([z, c1], dim=1)))
    fake_cat, real_cat = torch.cat([fake, c1], dim=1), torch.cat([real, c2], dim=1)
    pen = D.penalty(real_cat, fake_cat)
    loss_d = -(torch.mean(D(real_cat)) - torch.mean(D(fake_cat)))
    optD.zero_grad(set_to_none=False)
    pen.backward(retain_graph=True)
    loss_d.backward()
    optD.step()

    z = torch.randn(BATCH, EMB)
    cond, mask, _, _ = sample_condvec(BATCH)
    c1, m1 = torch.from_numpy(cond), torch.from_numpy(mask)
    raw = G(torch.cat([z, c1], dim=1))
    loss_g = -torch.mean(D(torch.cat([activate(raw), c1], dim=1))) + cond_loss(raw, c1, m1)
    optG.zero_grad(set_to_none=False)
    loss_g.backward()
    optG.step()


for _ in range(2):
    step()
steps, t0 = 0, time.perf_counter()
while steps < 3 or time.perf_counter() - t0 < seconds:
    step()
    steps += 1
train_rate = steps * BATCH / (time.perf_counter() - t0)

# Sampling as Airlock's sampleCtgan: whole batches, conditions by real frequency, arg-max one-hot of softmax spans.
t0 = time.perf_counter()
with torch.no_grad():
    for i in range(0, sample_n, BATCH):
        cond = np.zeros((BATCH, cond_width), dtype=np.float32)
        if n_cat:
            cond[np.arange(BATCH), rs.choice(len(overall), BATCH, p=overall / overall.sum())] = 1
        act = activate(G(torch.cat([torch.randn(BATCH, EMB), torch.from_numpy(cond)], dim=1)))
        out = torch.empty_like(act)
        for s in spans:
            a, b = s["start"], s["start"] + s["width"]
            out[:, a:b] = act[:, a:b] if s["activation"] == "tanh" else F.one_hot(act[:, a:b].argmax(-1), b - a).float()
sample_rate = sample_n / (time.perf_counter() - t0)
print(json.dumps({"trainRowsPerSecond": train_rate, "sampleRowsPerSecond": sample_rate, "threads": torch.get_num_threads(), "torch": torch.__version__}))
