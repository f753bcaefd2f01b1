"""Tabulates bench/ae-converge-seeds.sh's JSON files (aedr-*.json from bench/ae-converge.ts,
torch-*.json from bench/torch_ae_converge.py): kNN(5) accuracy mean +- sample std over seeds per
(subset, d) for PCA, aedr's compare AE and each PyTorch rule, aedr minus each PyTorch rule in
points with the standard error of that difference (sqrt(s1^2/n1 + s2^2/n2)), whether the
difference is within issue 12's 1.5 points and within noise (|diff| <= 2 SE), and whether the AE
is at or above PCA. Test MSE (pixels / 255) is shown where every run of a cell recorded it. Rows with subset "all" pool every (subset, seed) run of a d; their differences pool only
the subsets both sides ran.

usage: python3 bench/ae-converge-summary.py OUT_DIR... [--json PATH]  (runs of several folders pool by
subset: give them different seeds)
"""
import glob
import json
import math
import statistics
import sys
from collections import defaultdict

argv = sys.argv[1:]
json_out = argv[argv.index("--json") + 1] if "--json" in argv else None
dirs = [a for i, a in enumerate(argv) if a != "--json" and (i == 0 or argv[i - 1] != "--json")]
runs = defaultdict(list)  # (side, subset, d) -> [(seed, knn5, epochsRun, testMse)]
for path in sorted(p for out in dirs for p in glob.glob(f"{out}/aedr-*.json")):
    for r in json.load(open(path))["rows"]:
        if r.get("summary"):
            continue
        side = {"pca": "pca", "ae": "aedr"}.get(r["method"])
        if side is None:  # the other variants of ae-converge.ts are not part of the target
            continue
        runs[(side, r["subset"], r["d"])].append((r["seed"], r["knn5"], r.get("epochsRun"), r.get("testMse")))
for path in sorted(p for out in dirs for p in glob.glob(f"{out}/torch-*-s*.json")):
    doc = json.load(open(path))
    rule = doc["args"]["rule"]
    subset = int(path.rsplit("-s", 1)[1].split(".")[0])
    for r in doc["rows"]:
        if r.get("summary"):
            continue
        runs[(f"torch-{rule}", subset, r["d"])].append((r["seed"], r["knn5"], r["epochsRun"], r["testMse"]))

sides = ["pca", "aedr"] + sorted({k[0] for k in runs if k[0].startswith("torch")})
keys = sorted({(k[1], k[2]) for k in runs})
for d in sorted({k[2] for k in runs}):
    for side in sides:
        pooled = [v for (s, sub, dd), vs in runs.items() if s == side and dd == d for v in vs]
        if pooled and len({k[0] for k in keys if k[1] == d}) > 1:
            runs[(side, "all", d)] = pooled
keys = sorted({(k[1], k[2]) for k in runs}, key=lambda k: (k[0] == "all", str(k[0]), k[1]))


def stats(vs):
    a = [v[1] for v in vs]
    return statistics.mean(a), statistics.stdev(a) if len(a) > 1 else 0.0, len(a)


def fmt(vs):
    if not vs:
        return "-"
    m, s, n = stats(vs)
    ep = [v[2] for v in vs if v[2] is not None]
    eps = f", {min(ep)}-{max(ep)} ep" if ep and n > 1 else ""
    mse = [v[3] for v in vs if v[3] is not None]
    mses = f", test MSE {statistics.mean(mse):.4f}" if len(mse) == n else ""
    return f"{m:.3f} ± {s:.3f} (n={n}{eps}{mses})" if n > 1 else f"{m:.3f}"


table = []
head = ["subset", "d"] + sides
for t in sides[2:]:
    head.append(f"aedr − {t} (pts ± SE)")
head.append("AE ≥ PCA")
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for sub, d in keys:
    cells = [str(sub), str(d)] + [fmt(runs.get((s, sub, d), [])) for s in sides]
    row = {"subset": sub, "d": d}
    for s in sides:
        if runs.get((s, sub, d)):
            m, sd, n = stats(runs[(s, sub, d)])
            row[s] = {"mean": m, "std": sd, "n": n}
    a = runs.get(("aedr", sub, d), [])
    for t in sides[2:]:
        b = runs.get((t, sub, d), [])
        if sub == "all":  # pool only the subsets both sides ran
            both = {k[1] for k in runs if k[0] == t and k[2] == d} & {k[1] for k in runs if k[0] == "aedr" and k[2] == d}
            both.discard("all")
            a = [v for k in sorted(both) for v in runs[("aedr", k, d)]]
            b = [v for k in sorted(both) for v in runs[(t, k, d)]]
        if not a or not b:
            cells.append("-")
            continue
        (ma, sa, na), (mb, sb, nb) = stats(a), stats(b)
        diff, se = 100 * (ma - mb), 100 * math.sqrt(sa**2 / na + sb**2 / nb)
        within = abs(diff) <= 1.5
        noise = None if min(na, nb) < 2 else abs(diff) <= 2 * se
        noise_text = "noise unknown: one seed" if noise is None else ("within" if noise else "beyond") + " noise"
        cells.append(f"{diff:+.1f} ± {se:.1f} ({'within' if within else 'outside'} 1.5; {noise_text})")
        row[f"aedr-{t}"] = {"diffPts": diff, "sePts": se, "within1p5": within, "withinNoise": noise}
    p = runs.get(("pca", sub, d), [])
    cells.append("-" if not a or not p else ("yes" if stats(a)[0] >= stats(p)[0] else "no"))
    table.append(row)
    print("| " + " | ".join(cells) + " |")
if json_out:
    json.dump(table, open(json_out, "w"), indent=1)
