"""Reference side of the conv VAE benchmark: the same network as Airlock's CVAE at 64 x 64 (electron/core/train/
models/image/cvae.ts, unconditional, latent 64, ngf = ndf = 64): encoder Conv(4, 2, 1) + bias, LeakyReLU 0.2,
1 -> 64 -> 128 -> 256 -> 512 channels down to 4 x 4, flatten, Linear mu and Linear log-variance (64); decoder
Linear(64, 4*4*512), ReLU, ConvT(4, 2, 1) + bias 512 -> 256 -> 128 -> 64 with ReLU, ConvT 64 -> 1: logits. Loss per
batch of N: BCE-with-logits against (x + 1) / 2 summed over pixels / N + KL / N; Adam lr 1e-3; PyTorch's default
initialisation. Batch 32 of random images in [-1, 1]. With `subpixel` the decoder's ConvTranspose2d layers are
computed as four 2 x 2 Conv2d phases (as Airlock does on wasm, and as dcgan_torch.py explains: Debian's torch has
the reference BLAS, so its ConvTranspose2d is slow). Prints JSON: steps/s, threads.
Usage: cvae_torch.py SECONDS THREADS [subpixel]"""
import json, sys, time
import torch
import torch.nn.functional as F
from torch import nn

seconds, threads = float(sys.argv[1]), int(sys.argv[2])
SUBPIXEL = len(sys.argv) > 3 and sys.argv[3] == "subpixel"
torch.set_num_threads(threads)
torch.manual_seed(1)
LATENT, W, BATCH = 64, 64, 32


class SubpixelConvT(nn.ConvTranspose2d):
    """ConvTranspose2d(cin, cout, 4, 2, 1) as four phase convolutions (same function, same weights)."""

    def forward(self, x):
        n, _, h, w = x.shape
        rows = []
        for a in (0, 1):
            cols = []
            for b in (0, 1):
                sub = self.weight[:, :, [3 - a, 1 - a]][:, :, :, [3 - b, 1 - b]].transpose(0, 1)
                cols.append(F.conv2d(F.pad(x, (1 - b, b, 1 - a, a)), sub, self.bias))
            rows.append(torch.stack(cols, -1))
        return torch.stack(rows, 3).reshape(n, -1, 2 * h, 2 * w)


ConvT = SubpixelConvT if SUBPIXEL else nn.ConvTranspose2d


class Cvae(nn.Module):
    def __init__(self):
        super().__init__()
        chans = [1, W, 2 * W, 4 * W, 8 * W]
        self.down = nn.ModuleList(nn.Conv2d(chans[i], chans[i + 1], 4, 2, 1) for i in range(4))
        self.mu, self.logvar = nn.Linear(16 * 8 * W, LATENT), nn.Linear(16 * 8 * W, LATENT)
        self.fc = nn.Linear(LATENT, 16 * 8 * W)
        rev = [8 * W, 4 * W, 2 * W, W, 1]
        self.up = nn.ModuleList(ConvT(rev[i], rev[i + 1], 4, 2, 1) for i in range(4))

    def forward(self, x):
        h = x
        for c in self.down:
            h = F.leaky_relu(c(h), 0.2)
        h = h.flatten(1)
        mu, logvar = self.mu(h), self.logvar(h)
        z = torch.randn_like(mu) * torch.exp(0.5 * logvar) + mu
        h = torch.relu(self.fc(z).view(-1, 8 * W, 4, 4))
        for i, c in enumerate(self.up):
            h = c(h)
            if i < 3:
                h = torch.relu(h)
        return h, mu, logvar


model = Cvae()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
data = torch.rand(4 * BATCH, 1, 64, 64) * 2 - 1


def step(i):
    x = data[(i % 4) * BATCH:(i % 4 + 1) * BATCH]
    logits, mu, logvar = model(x)
    rec = F.binary_cross_entropy_with_logits(logits, (x + 1) / 2, reduction="sum") / BATCH
    kl = -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp()) / BATCH
    opt.zero_grad()
    (rec + kl).backward()
    opt.step()


if SUBPIXEL:
    x, ref = torch.randn(2, 8, 4, 4), nn.ConvTranspose2d(8, 3, 4, 2, 1)
    sub = SubpixelConvT(8, 3, 4, 2, 1)
    sub.weight, sub.bias = ref.weight, ref.bias
    assert torch.allclose(sub(x), ref(x), atol=1e-5), "sub-pixel ConvTranspose2d disagrees"
for i in range(2):
    step(i)
steps, t0 = 0, time.perf_counter()
while steps < 3 or time.perf_counter() - t0 < seconds:
    step(steps)
    steps += 1
rate = steps / (time.perf_counter() - t0)
print(json.dumps({"stepsPerSecond": rate, "threads": torch.get_num_threads(), "torch": torch.__version__, "subpixel": SUBPIXEL}))
