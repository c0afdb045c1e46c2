"""Reference side of the generator benchmark: the same TVAE architecture as Airlock's (SDV's TVAE: encoder
2x128 ReLU -> 128-d latent, decoder 2x128 ReLU -> width + learned sigma; Adam lr 1e-3, weight decay 1e-5,
loss factor 2) in PyTorch on CPU, on the very matrix Airlock encoded. Prints JSON: train and sample rows/s.
Usage: tvae_torch.py MATRIX.f32 SPANS.json ROWS WIDTH SECONDS THREADS [SAMPLE_ROWS]"""
import sys, json, time
import numpy as np
import torch
from torch import nn

path, spans_path, rows, width, seconds, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
sample_n = int(sys.argv[7]) if len(sys.argv) > 7 else 20000
torch.set_num_threads(threads)
torch.manual_seed(1)
data = torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(rows, width))
spans = json.load(open(spans_path))
EMB, H, BATCH = 128, 128, 500

class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.seq = nn.Sequential(nn.Linear(width, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU())
        self.mu, self.logvar = nn.Linear(H, EMB), nn.Linear(H, EMB)
    def forward(self, x):
        h = self.seq(x)
        return self.mu(h), self.logvar(h)

class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.seq = nn.Sequential(nn.Linear(EMB, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, width))
        self.sigma = nn.Parameter(torch.ones(width) * 0.1)
    def forward(self, z):
        return self.seq(z), self.sigma

enc, dec = Encoder(), Decoder()
opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3, weight_decay=1e-5)

def loss_fn(rec, x, sigmas, mu, logvar):
    loss = []
    for s in spans:
        a, b = s["start"], s["start"] + s["width"]
        if s["activation"] == "tanh":
            std = sigmas[a:b]
            loss.append(((x[:, a:b] - torch.tanh(rec[:, a:b])) ** 2 / 2 / (std ** 2)).sum())
            loss.append(torch.log(std).sum() * x.size(0))
        else:
            loss.append(nn.functional.cross_entropy(rec[:, a:b], torch.argmax(x[:, a:b], dim=-1), reduction="sum"))
    kld = -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp())
    return sum(loss) * 2 / x.size(0) + kld / x.size(0)

def step(batch):
    opt.zero_grad()
    mu, logvar = enc(batch)
    z = mu + torch.randn_like(logvar) * torch.exp(0.5 * logvar)
    rec, sigmas = dec(z)
    loss = loss_fn(rec, batch, sigmas, mu, logvar)
    loss.backward()
    opt.step()
    dec.sigma.data.clamp_(0.01, 1.0)

perm = torch.randperm(rows)
for i in range(2):
    step(data[perm[i * BATCH:(i + 1) * BATCH]])
steps, t0 = 0, time.perf_counter()
while steps < 3 or time.perf_counter() - t0 < seconds:
    idx = perm[(steps * BATCH) % (rows - BATCH):][:BATCH]
    step(data[idx])
    steps += 1
train_rate = steps * BATCH / (time.perf_counter() - t0)

n = sample_n
t0 = time.perf_counter()
with torch.no_grad():
    for i in range(0, n, BATCH):
        rec, sig = dec(torch.randn(min(BATCH, n - i), EMB))
        out = torch.empty_like(rec)
        for s in spans:
            a, b = s["start"], s["start"] + s["width"]
            out[:, a:b] = torch.tanh(rec[:, a:b]) if s["activation"] == "tanh" else nn.functional.one_hot(rec[:, a:b].argmax(-1), b - a).float()
sample_rate = n / (time.perf_counter() - t0)
print(json.dumps({"trainRowsPerSecond": train_rate, "sampleRowsPerSecond": sample_rate, "threads": torch.get_num_threads(), "torch": torch.__version__}))
