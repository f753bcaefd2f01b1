#!/bin/bash
# Issue 12's subset target over several seeds: aedr's compare AE and PCA (bench/ae-converge.ts)
# and the PyTorch reference (bench/torch_ae_converge.py) on the same seeded MNIST subsets. One
# job per (subset, side, d or rule), two jobs at a time at 1 thread each, in the order given
# (subset by subset). Run it under the bench lock:
#   flock /tmp/aedr-signals/bench.lock bench/ae-converge-seeds.sh OUT SUBSETS SEEDS DIMS [TORCH_RULES]
# e.g. bench/ae-converge-seeds.sh bench/out/aec 0 0,1,2,3,4 2,5,10
# TORCH_RULES (default "aedr,fixed"): aedr = aedr's exact rule and choices (batch 200, Glorot
# init, mean output bias, Keras Adam, tol 1e-4 / 10 epochs on the training loss, best weights);
# fixed = the reference (300 epochs at batch 64, PyTorch's defaults).
# Writes OUT/aedr-sK-dD.json and OUT/torch-RULE-sK.json (and .log); bench/ae-converge-summary.py
# tabulates them.
set -euo pipefail
out=$1 subsets=$2 seeds=$3 dims=$4 rules=${5:-aedr,fixed}
mkdir -p "$out"
node --import tsx bench/ae-converge.ts --subsets "$subsets" --out "$out" --write-only
jobs=()
for k in ${subsets//,/ }; do
  dir=$out; [ "$k" = 0 ] || dir=$out/subset-$k
  for rule in ${rules//,/ }; do
    if [ "$rule" = aedr ]; then
      flags="--rule aedr --batch 200 --init glorot --output-bias mean --adam keras"
    else
      flags="--rule fixed --epochs 300 --batch 64"
    fi
    jobs+=("/usr/bin/python3 bench/torch_ae_converge.py $dir --dims $dims --seeds $seeds $flags --threads 1 --json $out/torch-$rule-s$k.json > $out/torch-$rule-s$k.log 2>&1")
  done
  for d in ${dims//,/ }; do
    jobs+=("node --import tsx bench/ae-converge.ts --subsets $k --seeds $seeds --dims $d --variants pca,ae --threads 1 --out $out --json $out/aedr-s$k-d$d.json > $out/aedr-s$k-d$d.log 2>&1")
  done
done
printf '%s\0' "${jobs[@]}" | xargs -0 -P 2 -I{} bash -c '{}'
