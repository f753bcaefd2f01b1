"""Reference values for src/metrics against scikit-learn 1.2.

Run with /usr/bin/python3 (scikit-learn 1.2, numpy 1.24) from the repository root:
    /usr/bin/python3 test/golden/metrics_sklearn.py
Writes test/golden/metrics_sklearn.json: the inputs (float32-representable, so TypeScript reads
exactly the values sklearn saw) and sklearn's results.
  - trustworthiness: sklearn.manifold.trustworthiness(X, Z, n_neighbors=k)
  - continuity: the same with roles swapped, trustworthiness(Z, X, n_neighbors=k) (Venna & Kaski 2006)
  - knn_accuracy: KNeighborsClassifier(n_neighbors=k) (uniform weights, ties in the vote -> smallest
    label, via scipy.stats.mode) fitted on train, accuracy_score on test, and the predictions.
  - reconstruction: mean_squared_error (all entries), per-row means, and
    r2_score(X, Xhat, multioutput='variance_weighted') (= 1 - SSE/SST around column means).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.neighbors import KNeighborsClassifier

rng = np.random.default_rng(20240611)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(a):
    return [float(v) for v in np.asarray(a).ravel()]


# 300 x 20: a 3-d latent structure pushed through a random linear map, plus noise.
n, d = 300, 20
latent = rng.normal(size=(n, 3))
X = f32(np.tanh(latent @ rng.normal(size=(3, d))) + 0.3 * rng.normal(size=(n, d)))
Z_pca = f32(PCA(n_components=2, random_state=0).fit_transform(X))
Z_rand = f32(X @ rng.normal(size=(d, 2)) / np.sqrt(d))

trust_cases = []
for name, Z in [("pca2", Z_pca), ("randproj2", Z_rand)]:
    for k in [1, 5, 10, 30, 149]:
        trust_cases.append(
            {
                "embedding": name,
                "k": k,
                "trustworthiness": float(trustworthiness(X, Z, n_neighbors=k)),
                "continuity": float(trustworthiness(Z, X, n_neighbors=k)),
            }
        )

# kNN classification: 4 classes from the latent's quadrant/sign pattern, 10 % labels flipped.
def labels_for(lat):
    y = (lat[:, 0] > 0).astype(int) * 2 + (lat[:, 1] > 0).astype(int)
    flip = rng.random(len(y)) < 0.1
    y[flip] = rng.integers(0, 4, size=flip.sum())
    return y


lat_tr = rng.normal(size=(200, 3))
lat_te = rng.normal(size=(100, 3))
M = rng.normal(size=(3, 5))
train = f32(lat_tr @ M + 0.5 * rng.normal(size=(200, 5)))
test = f32(lat_te @ M + 0.5 * rng.normal(size=(100, 5)))
y_tr = labels_for(lat_tr) * 3 + 1  # labels 1, 4, 7, 10: not 0..c-1, to pin the class order
y_te = labels_for(lat_te) * 3 + 1
names = np.array(["ant", "bee", "cat", "dog"])

knn_cases = []
for k in [1, 2, 4, 5, 8]:
    for kind in ["int", "str"]:
        ytr = y_tr if kind == "int" else names[(y_tr - 1) // 3]
        yte = y_te if kind == "int" else names[(y_te - 1) // 3]
        clf = KNeighborsClassifier(n_neighbors=k).fit(train, ytr)
        pred = clf.predict(test)
        knn_cases.append(
            {
                "k": k,
                "labels": kind,
                "accuracy": float(np.mean(pred == yte)),
                "predictions": [p.item() for p in pred],
            }
        )

# Reconstruction: columns on different scales so pooled and per-column R^2 differ.
Xr = f32(rng.normal(size=(50, 6)) * np.array([1, 2, 5, 0.5, 3, 1]) + 4)
Xh = f32(Xr + 0.4 * rng.normal(size=(50, 6)))
recon = {
    "rows": 50,
    "cols": 6,
    "X": flat(Xr),
    "Xhat": flat(Xh),
    "mse": float(mean_squared_error(Xr, Xh)),
    "perSample": flat(((Xr - Xh) ** 2).mean(axis=1)),
    "explainedVariance": float(r2_score(Xr, Xh, multioutput="variance_weighted")),
}

out = {
    "generator": "test/golden/metrics_sklearn.py",
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "trust": {"rows": n, "cols": d, "X": flat(X), "pca2": flat(Z_pca), "randproj2": flat(Z_rand), "cases": trust_cases},
    "knn": {
        "cols": 5,
        "train": flat(train),
        "test": flat(test),
        "trainLabels": [int(v) for v in y_tr],
        "testLabels": [int(v) for v in y_te],
        "names": list(names),
        "cases": knn_cases,
    },
    "reconstruction": recon,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_sklearn.json")
with open(path, "w") as f:
    json.dump(out, f)
    f.write("\n")
print("wrote", path)
