"""Reference values for src/reducers/tsne*.ts (and the blobs UMAP is checked on) from scikit-learn 1.2.

Run with /usr/bin/python3 (scikit-learn 1.2, numpy 1.24) from the repository root:
    /usr/bin/python3 test/golden/tsne_sklearn.py
Writes test/golden/tsne_sklearn.json:
  - tiny: X (60 x 5, float32-representable), perplexity 5, and
      p_nn: sklearn.manifold._t_sne._joint_probabilities_nn on the squared distances to each point's
            k = min(n - 1, int(3 * perplexity + 1)) = 16 nearest neighbours (NearestNeighbors,
            self excluded), as TSNE.fit does; written dense (n x n).
      p_dense: sklearn.manifold._t_sne._joint_probabilities on all squared distances (squareform).
  - blobs: X (240 x 8, 4 Gaussian blobs with unequal spreads, float32-representable), labels,
      and TSNE(perplexity=30, init='pca', random_state=0) with method 'exact' and 'barnes_hut':
      trustworthiness(X, Z, n_neighbors=5) and the 5-NN accuracy of Z (leave-one-out).
"""
import json

import numpy as np
import sklearn
from scipy.spatial.distance import squareform
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities, _joint_probabilities_nn
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

rng = np.random.default_rng(20261202)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def mat(a):
    a = np.asarray(a)
    return {"rows": int(a.shape[0]), "cols": int(a.shape[1]), "data": flat(a)}


out = {"sklearn": sklearn.__version__}

# Tiny: three loose clusters in 5-d.
n, d, perplexity = 60, 5, 5.0
centres = rng.normal(scale=3.0, size=(3, d))
X = f32(centres[np.arange(n) % 3] + rng.normal(size=(n, d)))
k = min(n - 1, int(3.0 * perplexity + 1))
nn = NearestNeighbors(n_neighbors=k, metric="euclidean").fit(X)
D_nn = nn.kneighbors_graph(mode="distance")
D_nn.data **= 2
P_nn = _joint_probabilities_nn(D_nn, perplexity, 0)
P_dense = squareform(_joint_probabilities(pairwise_distances(X, squared=True), perplexity, 0))
out["tiny"] = {
    "x": mat(X),
    "perplexity": perplexity,
    "k": k,
    "p_nn": mat(P_nn.toarray()),
    "p_dense": mat(P_dense),
}

# Blobs: 4 clusters, spreads 0.5..2, centres 8 apart on average.
n, d = 240, 8
labels = np.arange(n) % 4
centres = rng.normal(scale=6.0, size=(4, d))
spread = np.array([0.5, 1.0, 1.5, 2.0])
X = f32(centres[labels] + spread[labels, None] * rng.normal(size=(n, d)))
blobs = {"x": mat(X), "labels": [int(v) for v in labels]}
for method in ["exact", "barnes_hut"]:
    Z = TSNE(perplexity=30, init="pca", learning_rate="auto", method=method, random_state=0).fit_transform(X)
    knn = KNeighborsClassifier(n_neighbors=6).fit(Z, labels)
    # Leave-one-out 5-NN: the 6 nearest include the point itself first.
    idx = knn.kneighbors(Z, return_distance=False)[:, 1:]
    votes = np.array([np.bincount(labels[r], minlength=4).argmax() for r in idx])
    blobs["tsne_" + method] = {
        "trustworthiness": float(trustworthiness(X, Z, n_neighbors=5)),
        "knn_accuracy": float(np.mean(votes == labels)),
    }
out["blobs"] = blobs

with open("test/golden/tsne_sklearn.json", "w") as f:
    json.dump(out, f)
print({m: blobs["tsne_" + m] for m in ["exact", "barnes_hut"]})
