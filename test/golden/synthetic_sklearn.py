"""Golden points of scikit-learn 1.2's make_swiss_roll and make_s_curve (noise 0).

Run with /usr/bin/python3 (scikit-learn 1.2.1):
    /usr/bin/python3 test/golden/synthetic_sklearn.py
Writes test/golden/synthetic_sklearn.json. src/data/synthetic.test.ts feeds each sample's t and
height (X[:, 1]) to swissRollAt / sCurveAt and expects X back; Python floats are written with
repr, which round-trips float64 exactly.
"""
import json
import os

import sklearn
from sklearn.datasets import make_s_curve, make_swiss_roll

out = {"sklearn": sklearn.__version__, "n": 20, "random_state": 0}
for name, make in (("swissRoll", make_swiss_roll), ("sCurve", make_s_curve)):
    X, t = make(n_samples=20, noise=0.0, random_state=0)
    out[name] = {"X": X.tolist(), "t": t.tolist()}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synthetic_sklearn.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
