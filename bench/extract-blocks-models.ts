/**
 * Two small block classifiers for bench/extract-blocks.ts, written out so the bench needs no ML
 * library: a logistic regression (standardised features, L2, batch gradient descent) and gradient
 * boosted trees (depth-limited, cuts at feature quantiles). Both are deterministic.
 */

/** One training example: features, label (1 = the truth holds the block), weight. */
export interface Example {
  x: readonly number[];
  y: 0 | 1;
  w: number;
}

/** A trained model: the probability that a block is content. */
export type Model = (x: readonly number[]) => number;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Logistic regression on standardised features. */
export function trainLogistic(data: readonly Example[], iterations = 2000, l2 = 0.01, rate = 0.5): Model {
  const d = data[0]!.x.length;
  const n = data.length;
  const mu = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const e of data) e.x.forEach((v, i) => (mu[i]! += v / n));
  for (const e of data) e.x.forEach((v, i) => (sd[i]! += (v - mu[i]!) ** 2 / n));
  for (let i = 0; i < d; i++) sd[i] = Math.sqrt(sd[i]!) || 1;
  const z = data.map((e) => e.x.map((v, i) => (v - mu[i]!) / sd[i]!));
  const wsum = data.reduce((s, e) => s + e.w, 0);
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    data.forEach((e, k) => {
      const zk = z[k]!;
      let s = b;
      for (let i = 0; i < d; i++) s += w[i]! * zk[i]!;
      const err = ((sigmoid(s) - e.y) * e.w) / wsum;
      gb += err;
      for (let i = 0; i < d; i++) gw[i]! += err * zk[i]!;
    });
    for (let i = 0; i < d; i++) w[i]! -= rate * (gw[i]! + l2 * w[i]!);
    b -= rate * gb;
  }
  return (x) => {
    let s = b;
    for (let i = 0; i < d; i++) s += (w[i]! * (x[i]! - mu[i]!)) / sd[i]!;
    return sigmoid(s);
  };
}

type Tree = { v: number } | { i: number; c: number; l: Tree; r: Tree };
const predict = (t: Tree, x: readonly number[]): number => ('v' in t ? t.v : predict(x[t.i]! <= t.c ? t.l : t.r, x));

/** Up to 32 cut points per feature, between distinct values at their quantiles. */
function cutPoints(data: readonly Example[]): number[][] {
  return data[0]!.x.map((_, i) => {
    const v = [...new Set(data.map((e) => e.x[i]!))].sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(v.length / 32));
    const cuts: number[] = [];
    for (let k = step; k < v.length; k += step) cuts.push((v[k - 1]! + v[k]!) / 2);
    return cuts;
  });
}

/** Gradient boosted trees (logistic loss, Newton leaves). */
export function trainBoosted(data: readonly Example[], trees = 60, depth = 2, rate = 0.1, minLeaf = 20): Model {
  const cuts = cutPoints(data);
  const pos = data.reduce((s, e) => s + e.y * e.w, 0);
  const base = Math.log(pos / Math.max(1e-9, data.reduce((s, e) => s + e.w, 0) - pos));
  const f = new Array<number>(data.length).fill(base);
  const g = new Array<number>(data.length).fill(0);
  const h = new Array<number>(data.length).fill(0);
  const build = (idx: number[], left: number): Tree => {
    let gs = 0;
    let hs = 0;
    for (const k of idx) (gs += g[k]!), (hs += h[k]!);
    if (left === 0 || idx.length < 2 * minLeaf) return { v: gs / (hs + 1) };
    let best: { gain: number; i: number; c: number } | undefined;
    cuts.forEach((cs, i) => {
      for (const c of cs) {
        let gl = 0;
        let hl = 0;
        let nl = 0;
        for (const k of idx) if (data[k]!.x[i]! <= c) (gl += g[k]!), (hl += h[k]!), nl++;
        if (nl < minLeaf || idx.length - nl < minLeaf) continue;
        const gain = (gl * gl) / (hl + 1) + (gs - gl) ** 2 / (hs - hl + 1) - (gs * gs) / (hs + 1);
        if (!best || gain > best.gain) best = { gain, i, c };
      }
    });
    if (!best || best.gain <= 0) return { v: gs / (hs + 1) };
    const { i, c } = best;
    return {
      i,
      c,
      l: build(
        idx.filter((k) => data[k]!.x[i]! <= c),
        left - 1,
      ),
      r: build(
        idx.filter((k) => data[k]!.x[i]! > c),
        left - 1,
      ),
    };
  };
  const forest: Tree[] = [];
  const all = data.map((_, k) => k);
  for (let t = 0; t < trees; t++) {
    data.forEach((e, k) => {
      const p = sigmoid(f[k]!);
      g[k] = (e.y - p) * e.w;
      h[k] = p * (1 - p) * e.w;
    });
    const tree = build(all, depth);
    forest.push(tree);
    data.forEach((e, k) => (f[k]! += rate * predict(tree, e.x)));
  }
  return (x) => sigmoid(forest.reduce((s, t) => s + rate * predict(t, x), base));
}
