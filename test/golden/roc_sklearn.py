"""Reference values for src/metrics/roc.ts and src/metrics/threshold.ts against scikit-learn 1.2.

Run with /usr/bin/python3 (scikit-learn 1.2, numpy 1.24) from the repository root:
    /usr/bin/python3 test/golden/roc_sklearn.py
Writes test/golden/roc_sklearn.json. Each case holds scores (float32-representable, so
TypeScript reads exactly the values sklearn saw), 0/1 labels and sklearn's results:
  - roc_auc: roc_auc_score(y, s)
  - ap: average_precision_score(y, s)
  - roc_full: roc_curve(y, s, drop_intermediate=False); the first threshold (1.2: max(s) + 1,
    >= 1.3: inf) is left out
  - roc_drop: roc_curve(y, s, drop_intermediate=True), the same way
  - at: precision_score / recall_score / f1_score of (s > t), zero_division=0, at a few t
  - mean_std3: s.mean() + 3 * s.std() (ddof 0); quantiles: np.quantile(s, q) (linear)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

rng = np.random.default_rng(20261202)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(a):
    return [float(v) for v in np.asarray(a).ravel()]


def case(name, s, y):
    s = f32(s)
    y = np.asarray(y, dtype=int)
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    fpr_d, tpr_d, thr_d = roc_curve(y, s, drop_intermediate=True)
    at = []
    for t in [float(np.quantile(s, 0.25)), float(np.median(s)), float(np.quantile(s, 0.9)), float(s.max())]:
        pred = (s > t).astype(int)
        at.append(
            {
                "threshold": t,
                "precision": float(precision_score(y, pred, zero_division=0)),
                "recall": float(recall_score(y, pred, zero_division=0)),
                "f1": float(f1_score(y, pred, zero_division=0)),
            }
        )
    return {
        "name": name,
        "scores": flat(s),
        "labels": [int(v) for v in y],
        "roc_auc": float(roc_auc_score(y, s)),
        "ap": float(average_precision_score(y, s)),
        "roc_full": {"fpr": flat(fpr), "tpr": flat(tpr), "thresholds": flat(thr[1:])},
        "roc_drop": {"fpr": flat(fpr_d), "tpr": flat(tpr_d), "thresholds": flat(thr_d[1:])},
        "at": at,
        "mean_std3": float(s.mean() + 3 * s.std()),
        "quantiles": [[q, float(np.quantile(s, q))] for q in [0, 0.1, 0.5, 0.95, 0.99, 1]],
    }


cases = []
# Continuous scores: anomalies shifted up by one standard deviation, no ties.
n = 200
y = (rng.random(n) < 0.2).astype(int)
cases.append(case("gaussian", rng.normal(size=n) + y, y))
# Heavy ties: scores rounded to one of five values, classes unbalanced.
y = (rng.random(n) < 0.1).astype(int)
cases.append(case("ties", np.round(rng.random(n) * 4 + y * 1.5), y))
# Ties across classes only at a few values; small n.
cases.append(case("small", [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1], [0, 0, 1, 1, 1, 0, 1, 1]))
# Worse than chance: anomalies score lower.
y = (rng.random(60) < 0.5).astype(int)
cases.append(case("inverted", rng.exponential(size=60) - 0.8 * y, y))

out = {
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "cases": cases,
}
path = os.path.join(os.path.dirname(__file__), "roc_sklearn.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
