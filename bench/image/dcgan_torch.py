"""Reference side of the DCGAN benchmark: the same network as Airlock's DCGAN at 64 x 64 (the PyTorch DCGAN
example's: z 100 -> Linear(100, 4*4*512, bias=False) -> BN -> ReLU -> ConvT(4, 2, 1) 512->256->128->64 with BN +
ReLU -> ConvT 64->1 -> tanh; D: Conv(4, 2, 1) 1->64 LeakyReLU 0.2, 64->128->256->512 with BN + LeakyReLU ->
Linear(4*4*512, 1); weights N(0, 0.02), BN gamma N(1, 0.02)), trained as the PyTorch example does it: D on a
real batch and on G(z).detach(), BCE-with-logits, Adam(2e-4, (0.5, 0.999)); then G against the updated D,
reusing that G(z). Batch 32, random images in [-1, 1]. Prints JSON: steps/s.

Debian's python3-torch 1.13 links the reference BLAS (BLAS_INFO=generic): Conv2d runs on oneDNN, but
ConvTranspose2d falls to slow_conv_transpose2d (im2col + reference GEMM, ~2 GMAC/s). With the optional
`subpixel` argument the generator's ConvTranspose2d layers are computed as Airlock computes them on wasm, four
2x2 Conv2d phases interleaved (same function, same weights layout), so every convolution runs on oneDNN: what
PyTorch does on a CPU build with a proper BLAS.
Usage: dcgan_torch.py SECONDS THREADS [subpixel]"""
import json, sys, time
import torch
import torch.nn.functional as F
from torch import nn

seconds, threads = float(sys.argv[1]), int(sys.argv[2])
SUBPIXEL = len(sys.argv) > 3 and sys.argv[3] == "subpixel"
torch.set_num_threads(threads)
torch.manual_seed(1)
NZ, NGF, NDF, BATCH = 100, 64, 64, 32


class SubpixelConvT(nn.ConvTranspose2d):
    """ConvTranspose2d(cin, cout, 4, 2, 1): output phase (a, b) = conv2d(x padded (1-b, b, 1-a, a), taps
    W[:, :, 3-a-2t, 3-b-2u])."""

    def forward(self, x):
        n, _, h, w = x.shape
        rows = []
        for a in (0, 1):
            cols = []
            for b in (0, 1):
                sub = self.weight[:, :, [3 - a, 1 - a]][:, :, :, [3 - b, 1 - b]].transpose(0, 1)
                cols.append(F.conv2d(F.pad(x, (1 - b, b, 1 - a, a)), sub))
            rows.append(torch.stack(cols, -1))  # [n, cout, h, w, 2 (b)]
        return torch.stack(rows, 3).reshape(n, -1, 2 * h, 2 * w)  # [n, cout, h, 2 (a), w, 2 (b)]


ConvT = SubpixelConvT if SUBPIXEL else nn.ConvTranspose2d


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(NZ, 16 * NGF * 8, bias=False)
        self.bn0 = nn.BatchNorm2d(NGF * 8)
        layers, c = [], NGF * 8
        for cout in (NGF * 4, NGF * 2, NGF):
            layers += [ConvT(c, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True)]
            c = cout
        layers += [ConvT(c, 1, 4, 2, 1, bias=False), nn.Tanh()]
        self.up = nn.Sequential(*layers)

    def forward(self, z):
        return self.up(torch.relu(self.bn0(self.fc(z).view(-1, NGF * 8, 4, 4))))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [nn.Conv2d(1, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True)], NDF
        for cout in (NDF * 2, NDF * 4, NDF * 8):
            layers += [nn.Conv2d(c, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2, True)]
            c = cout
        self.down = nn.Sequential(*layers)
        self.fc = nn.Linear(16 * NDF * 8, 1)

    def forward(self, x):
        return self.fc(self.down(x).flatten(1))


def init(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


G, D = Generator(), Discriminator()
G.apply(init)
D.apply(init)
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
data = torch.rand(4 * BATCH, 1, 64, 64) * 2 - 1
ones, zeros = torch.ones(BATCH, 1), torch.zeros(BATCH, 1)


def step(i):
    real = data[(i % 4) * BATCH:(i % 4 + 1) * BATCH]
    fake = G(torch.randn(BATCH, NZ))
    optD.zero_grad()
    lossD = bce(D(real), ones) + bce(D(fake.detach()), zeros)
    lossD.backward()
    optD.step()
    optG.zero_grad()
    lossG = bce(D(fake), ones)
    lossG.backward()
    optG.step()


if SUBPIXEL:  # the sub-pixel layer is the same function as ConvTranspose2d
    x, ref = torch.randn(2, 8, 4, 4), nn.ConvTranspose2d(8, 3, 4, 2, 1, bias=False)
    sub = SubpixelConvT(8, 3, 4, 2, 1, bias=False)
    sub.weight = ref.weight
    assert torch.allclose(sub(x), ref(x), atol=1e-5), "sub-pixel ConvTranspose2d disagrees"
for i in range(2):
    step(i)
steps, t0 = 0, time.perf_counter()
while steps < 3 or time.perf_counter() - t0 < seconds:
    step(steps)
    steps += 1
rate = steps / (time.perf_counter() - t0)
print(json.dumps({"stepsPerSecond": rate, "threads": torch.get_num_threads(), "torch": torch.__version__, "subpixel": SUBPIXEL}))
