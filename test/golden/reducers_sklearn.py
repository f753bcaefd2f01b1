"""Reference values for src/reducers (PCA, LDA, LLE, Isomap) from scikit-learn 1.2.

Run with /usr/bin/python3 (scikit-learn 1.2, numpy 1.24) from the repository root:
    /usr/bin/python3 test/golden/reducers_sklearn.py
Writes test/golden/reducers_sklearn.json. Every input is float32-representable (generated, cast
to float32, then used as float64), so the TypeScript side, which takes Float32Array, sees exactly
the values scikit-learn saw; scikit-learn computes in float64.
  - pca_tall: PCA(n_components=3, svd_solver='full') on 60 x 8 anisotropic Gaussian data, its
    transform, the whitened transform, and n_components_ for n_components=0.9.
  - pca_wide: PCA(n_components=5, svd_solver='full') on 12 x 20 data (n < d).
  - lda: 3 classes, 90 x 5; transforms of solver='svd', 'eigen', 'eigen' + shrinkage 'auto' and
    0.3; lda_singular: 'svd' on data with a constant and a duplicated feature (singular Sw).
  - swiss: make_swiss_roll(500, random_state=0) + 50 new points (random_state=1):
    LocallyLinearEmbedding(n_neighbors=10, n_components=2) (eigen_solver auto = arpack) embedding,
    reconstruction error, transform of the new points, trustworthiness(X, emb, 10);
    Isomap(n_neighbors=10, n_components=2) embedding and transform of the new points.
  - isomap_small: Isomap(n_neighbors=8, n_components=3) on 150 swiss-roll points (dense solver).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import make_swiss_roll
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.manifold import Isomap, LocallyLinearEmbedding, trustworthiness

rng = np.random.default_rng(20240612)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def mat(a):
    a = np.asarray(a, dtype=np.float64)
    return {"rows": int(a.shape[0]), "cols": int(a.shape[1]), "data": flat(a)}


out = {"sklearn": sklearn.__version__, "numpy": np.__version__}

# PCA, tall and wide.
A = rng.normal(size=(8, 8)) * np.array([5, 3, 2, 1, 0.5, 0.3, 0.2, 0.1])[:, None]
X = f32(rng.normal(size=(60, 8)) @ A + rng.normal(size=8) * 3)
p = PCA(n_components=3, svd_solver="full").fit(X)
pw = PCA(n_components=3, svd_solver="full", whiten=True).fit(X)
out["pca_tall"] = {
    "x": mat(X),
    "components": mat(p.components_),
    "explained_variance": flat(p.explained_variance_),
    "explained_variance_ratio": flat(p.explained_variance_ratio_),
    "singular_values": flat(p.singular_values_),
    "noise_variance": float(p.noise_variance_),
    "mean": flat(p.mean_),
    "transform": mat(p.transform(X)),
    "whiten_transform": mat(pw.transform(X)),
    "n_components_for_0_9": int(PCA(n_components=0.9, svd_solver="full").fit(X).n_components_),
}
Xw = f32(rng.normal(size=(12, 20)) * np.linspace(3, 0.5, 20))
p = PCA(n_components=5, svd_solver="full").fit(Xw)
out["pca_wide"] = {
    "x": mat(Xw),
    "components": mat(p.components_),
    "explained_variance": flat(p.explained_variance_),
    "explained_variance_ratio": flat(p.explained_variance_ratio_),
    "noise_variance": float(p.noise_variance_),
}

# LDA.
centres = rng.normal(size=(3, 5)) * 2
y = np.repeat(np.arange(3), 30)
cov = rng.normal(size=(5, 5))
Xl = f32(centres[y] + rng.normal(size=(90, 5)) @ cov)
lda = {"x": mat(Xl), "y": [int(v) for v in y]}
for name, kw in [
    ("svd", dict(solver="svd")),
    ("eigen", dict(solver="eigen")),
    ("eigen_auto", dict(solver="eigen", shrinkage="auto")),
    ("eigen_0_3", dict(solver="eigen", shrinkage=0.3)),
]:
    m = LDA(**kw).fit(Xl, y)
    lda[name] = {"transform": mat(m.transform(Xl)), "explained_variance_ratio": flat(m.explained_variance_ratio_)}
out["lda"] = lda
Xs = np.concatenate([Xl, np.full((90, 1), 2.5), Xl[:, :1]], axis=1)
m = LDA(solver="svd").fit(Xs, y)
out["lda_singular"] = {"x": mat(Xs), "y": lda["y"], "transform": mat(m.transform(Xs))}

# Swiss roll: LLE and Isomap.
Xr = f32(make_swiss_roll(500, random_state=0)[0])
Xn = f32(make_swiss_roll(50, random_state=1)[0])
lle = LocallyLinearEmbedding(n_neighbors=10, n_components=2, random_state=0).fit(Xr)
iso = Isomap(n_neighbors=10, n_components=2).fit(Xr)
out["swiss"] = {
    "x": mat(Xr),
    "new": mat(Xn),
    "lle_embedding": mat(lle.embedding_),
    "lle_reconstruction_error": float(lle.reconstruction_error_),
    "lle_transform": mat(lle.transform(Xn)),
    "lle_trustworthiness": float(trustworthiness(Xr, lle.embedding_, n_neighbors=10)),
    "isomap_embedding": mat(iso.embedding_),
    "isomap_transform": mat(iso.transform(Xn)),
    "isomap_trustworthiness": float(trustworthiness(Xr, iso.embedding_, n_neighbors=10)),
}
Xi = Xr[:150]
iso3 = Isomap(n_neighbors=8, n_components=3).fit(Xi)
out["isomap_small"] = {"embedding": mat(iso3.embedding_), "eigenvalues": flat(iso3.kernel_pca_.eigenvalues_)}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reducers_sklearn.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
