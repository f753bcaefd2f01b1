"""scikit-learn's side of bench/maps.ts: TSNE on MNIST's first n training images (pixels / 255).

Usage: /usr/bin/python3 bench/tsne_sklearn.py MNIST_DIR N OUT
TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', n_jobs=2, random_state=0),
scikit-learn 1.2's defaults otherwise (Barnes-Hut, angle 0.5, 1000 iterations). Writes the map as
float64 little-endian rows to OUT and prints one JSON line: fit wall and CPU seconds (user + system
of the process over the fit, every thread), peak RSS in MB (VmHWM), load average before and after.
"""
import json
import os
import resource
import sys
import time

import numpy as np
from sklearn.manifold import TSNE


def peak_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    d, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    x = np.fromfile(d + '/train-images-idx3-ubyte', np.uint8, n * 784, '', 16).reshape(n, 784)
    x = x.astype(np.float32) / np.float32(255)
    tsne = TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', n_jobs=2,
                random_state=0)
    load_before = list(os.getloadavg())
    c0, t0 = cpu(), time.perf_counter()
    z = tsne.fit_transform(x)
    wall, c = time.perf_counter() - t0, cpu() - c0
    res = {'wall': wall, 'cpu': c, 'peakMB': peak_mb(), 'loadBefore': load_before,
           'loadAfter': list(os.getloadavg())}
    np.asarray(z, dtype='<f8').tofile(out)
    print(json.dumps(res))


if __name__ == '__main__':
    main()
