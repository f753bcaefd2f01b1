"""PyTorch half of bench/vae.ts: pytorch/examples' VAE (vae/main.py) on MNIST, CPU.

The model, loss and training loop are the example's: 784-400-(20, 20)-400-784, ReLU, sigmoid
output, loss = BCE summed over pixels + KL (-0.5 * sum(1 + logvar - mu^2 - exp(logvar))),
Adam lr 1e-3, batch 128 shuffled, 10 epochs; the reported loss is the summed loss divided by
the number of rows (nats per image), on the training set (during the epoch) and on the test
set (after it, z still sampled, as the example's test()).

The example reads MNIST through torchvision's datasets.MNIST + transforms.ToTensor() in a
DataLoader (num_workers 0 on CPU); torchvision is not installed here, so `--loader examples`
reproduces that per-image path (PIL image from the uint8 array, ToTensor's conversion, default
collate). `--loader tensor` instead slices batches from one preloaded float tensor (no
per-image work): the fastest PyTorch can feed this model. Seconds per epoch count the training
loop only (wall, and CPU by time.process_time); the test pass is timed apart.

usage: torch_vae.py MNIST_DIR [--epochs 10] [--threads 2] [--loader examples|tensor] [--seed 1]
         [--limit N] [--flush-denormal]
Prints one JSON line.
"""
import argparse
import json
import resource
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("mnist_dir")
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--loader", choices=["examples", "tensor"], default="examples")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--limit", type=int, help="first rows of each split only (smoke runs)")
ap.add_argument("--flush-denormal", action="store_true", help="torch.set_flush_denormal(True)")
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
if args.flush_denormal:
    torch.set_flush_denormal(True)


def images(name):
    raw = np.fromfile(f"{args.mnist_dir}/{name}", dtype=np.uint8)[16:]
    return raw.reshape(-1, 28, 28)


train_u8, test_u8 = images("train-images-idx3-ubyte"), images("t10k-images-idx3-ubyte")
if args.limit:
    train_u8, test_u8 = train_u8[: args.limit], test_u8[: args.limit]


class MnistLikeTorchvision(torch.utils.data.Dataset):
    """datasets.MNIST(..., transform=transforms.ToTensor()) without torchvision."""

    def __init__(self, u8):
        self.u8 = torch.from_numpy(u8)

    def __len__(self):
        return len(self.u8)

    def __getitem__(self, i):
        from PIL import Image

        pic = Image.fromarray(self.u8[i].numpy(), mode="L")
        img = torch.from_numpy(np.array(pic, np.uint8, copy=True))
        img = img.view(pic.size[1], pic.size[0], 1).permute((2, 0, 1)).contiguous()
        return img.to(dtype=torch.get_default_dtype()).div(255), 0


def loader(u8, shuffle):
    if args.loader == "examples":
        return torch.utils.data.DataLoader(MnistLikeTorchvision(u8), batch_size=128, shuffle=shuffle)
    x = torch.from_numpy(u8.reshape(-1, 784).astype(np.float32) / 255.0)

    def batches():
        order = torch.randperm(len(x)) if shuffle else torch.arange(len(x))
        for i in range(0, len(x), 128):
            yield x[order[i : i + 128]], 0

    return batches


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld, bce, kld


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_loader = loader(train_u8, True)
test_loader = loader(test_u8, False)
epochs = []
for epoch in range(1, args.epochs + 1):
    model.train()
    t0, c0 = time.perf_counter(), time.process_time()
    total = 0.0
    it = train_loader if args.loader == "examples" else train_loader()
    for data, _ in it:
        optimizer.zero_grad()
        recon, mu, logvar = model(data)
        loss, _, _ = loss_function(recon, data, mu, logvar)
        loss.backward()
        total += loss.item()
        optimizer.step()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    model.eval()
    t1 = time.perf_counter()
    test_total = test_bce = test_kl = 0.0
    with torch.no_grad():
        it = test_loader if args.loader == "examples" else test_loader()
        for data, _ in it:
            recon, mu, logvar = model(data)
            loss, bce, kld = loss_function(recon, data, mu, logvar)
            test_total += loss.item()
            test_bce += bce.item()
            test_kl += kld.item()
    n, nt = len(train_u8), len(test_u8)
    epochs.append(
        {
            "epoch": epoch,
            "seconds": seconds,
            "cpuSeconds": cpu,
            "evalSeconds": time.perf_counter() - t1,
            "trainLoss": total / n,
            "testLoss": test_total / nt,
            "testRecon": test_bce / nt,
            "testKl": test_kl / nt,
        }
    )
print(
    json.dumps(
        {
            "side": f"pytorch {torch.__version__} ({args.loader} loader{', flush denormal' if args.flush_denormal else ''})",
            "threads": args.threads,
            "epochs": epochs,
            "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
)
