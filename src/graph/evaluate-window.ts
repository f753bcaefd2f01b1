/**
 * Float64 reference kernels of the 2-D window ops for the graph interpreter (evaluate.ts):
 * direct loops written from the definitions in the ONNX operator spec at opset 18 (Conv,
 * ConvTranspose, MaxPool, Resize nearest), NCHW, group 1. Slow on purpose: each output is the
 * textbook sum, so they serve as the reference the gradient rules and onnxruntime are checked
 * against.
 */
/** A concrete value: shape and row-major data (bools and int64 stored as numbers). */
export interface Value {
  shape: number[];
  data: Float64Array;
}

/** Resolved window attributes as the builder stores them. */
export interface Window {
  strides: number[];
  pads: number[];
  dilations: number[];
}

/** Conv: x [N, C, H, W], w [M, C, kH, kW], optional b [M]. */
export function conv2d(x: Value, w: Value, b: Value | undefined, a: Window, out: number[]): Value {
  const [n, c, h, wd] = x.shape;
  const [m, , kh, kw] = w.shape;
  const [ho, wo] = out;
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  const [pt, pl] = a.pads;
  const y = new Float64Array(n * m * ho * wo);
  for (let b0 = 0; b0 < n; b0++) {
    for (let o = 0; o < m; o++) {
      for (let i = 0; i < ho; i++) {
        for (let j = 0; j < wo; j++) {
          let s = b ? b.data[o] : 0;
          for (let ci = 0; ci < c; ci++) {
            for (let p = 0; p < kh; p++) {
              const r = i * sh + p * dh - pt;
              if (r < 0 || r >= h) continue;
              for (let q = 0; q < kw; q++) {
                const col = j * sw + q * dw - pl;
                if (col < 0 || col >= wd) continue;
                s +=
                  x.data[((b0 * c + ci) * h + r) * wd + col] *
                  w.data[((o * c + ci) * kh + p) * kw + q];
              }
            }
          }
          y[((b0 * m + o) * ho + i) * wo + j] = s;
        }
      }
    }
  }
  return { shape: [n, m, ho, wo], data: y };
}

/** ConvTranspose: x [N, C, H, W], w [C, M, kH, kW], optional b [M]; each input scatters its kernel. */
export function convTranspose2d(
  x: Value,
  w: Value,
  b: Value | undefined,
  a: Window,
  out: number[],
): Value {
  const [n, c, h, wd] = x.shape;
  const [, m, kh, kw] = w.shape;
  const [ho, wo] = out;
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  const [pt, pl] = a.pads;
  const y = new Float64Array(n * m * ho * wo);
  for (let b0 = 0; b0 < n; b0++) {
    for (let o = 0; o < m; o++) {
      const base = (b0 * m + o) * ho * wo;
      if (b) y.fill(b.data[o], base, base + ho * wo);
      for (let ci = 0; ci < c; ci++) {
        for (let i = 0; i < h; i++) {
          for (let j = 0; j < wd; j++) {
            const v = x.data[((b0 * c + ci) * h + i) * wd + j];
            for (let p = 0; p < kh; p++) {
              const r = i * sh + p * dh - pt;
              if (r < 0 || r >= ho) continue;
              for (let q = 0; q < kw; q++) {
                const col = j * sw + q * dw - pl;
                if (col < 0 || col >= wo) continue;
                y[base + r * wo + col] += v * w.data[((ci * m + o) * kh + p) * kw + q];
              }
            }
          }
        }
      }
    }
  }
  return { shape: [n, m, ho, wo], data: y };
}

/** MaxPool: the maxima and their flat indices into x (first maximum in row-major order; pads never win). */
export function maxPool2d(x: Value, k: number[], a: Window, out: number[]): [Value, Value] {
  const [n, c, h, wd] = x.shape;
  const [ho, wo] = out;
  const [sh, sw] = a.strides;
  const [pt, pl] = a.pads;
  const y = new Float64Array(n * c * ho * wo);
  const idx = new Float64Array(y.length);
  for (let p0 = 0; p0 < n * c; p0++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        let best = -Infinity;
        let at = -1;
        for (let p = 0; p < k[0]; p++) {
          const r = i * sh + p - pt;
          if (r < 0 || r >= h) continue;
          for (let q = 0; q < k[1]; q++) {
            const col = j * sw + q - pl;
            if (col < 0 || col >= wd) continue;
            const flat = (p0 * h + r) * wd + col;
            if (at < 0 || x.data[flat] > best) {
              best = x.data[flat];
              at = flat;
            }
          }
        }
        y[(p0 * ho + i) * wo + j] = best;
        idx[(p0 * ho + i) * wo + j] = at;
      }
    }
  }
  const shape = [n, c, ho, wo];
  return [
    { shape, data: y },
    { shape: [...shape], data: idx },
  ];
}

/** Resize, nearest, asymmetric, floor, integer scales [1, 1, sH, sW]: out[i, j] = x[floor(i / sH), floor(j / sW)]. */
/** SpaceToDepth: y[n, (bh b + bw) C + c, i, j] = x[n, c, i b + bh, j b + bw]. */
export function spaceToDepth(x: Value, b: number): Value {
  const [n, c, h, wd] = x.shape;
  const ho = h / b;
  const wo = wd / b;
  const y = new Float64Array(x.data.length);
  for (let p = 0; p < n; p++)
    for (let bh = 0; bh < b; bh++)
      for (let bw = 0; bw < b; bw++)
        for (let ch = 0; ch < c; ch++)
          for (let i = 0; i < ho; i++)
            for (let j = 0; j < wo; j++) {
              const out = (((p * b + bh) * b + bw) * c + ch) * ho * wo + i * wo + j;
              y[out] = x.data[((p * c + ch) * h + i * b + bh) * wd + j * b + bw];
            }
  return { shape: [n, b * b * c, ho, wo], data: y };
}

export function upsampleNearest(x: Value, scales: number[]): Value {
  const [n, c, h, wd] = x.shape;
  const [, , sh, sw] = scales;
  const ho = h * sh;
  const wo = wd * sw;
  const y = new Float64Array(n * c * ho * wo);
  for (let p0 = 0; p0 < n * c; p0++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        y[(p0 * ho + i) * wo + j] = x.data[(p0 * h + Math.floor(i / sh)) * wd + Math.floor(j / sw)];
      }
    }
  }
  return { shape: [n, c, ho, wo], data: y };
}
