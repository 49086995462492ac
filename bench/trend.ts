/**
 * Whether a series of soak samples stays flat: memory that keeps growing over an evening is a
 * leak, however slowly it grows. The first part of the run is warm-up (caches fill, the heap
 * finds its size), so only what comes after it is judged: the least-squares slope over the
 * second half of the run, set against the level right after the warm-up.
 */

export interface TrendOptions {
  series: string;
  unit: string;
  /** Length of the run in minutes; samples are placed by their minute from its start. */
  minutes: number;
  /** Share of the run that is warm-up. */
  warmup: number;
  /** A slope below this many units per 10 minutes is flat whatever the level (noise in small numbers). */
  floor: number;
}

export interface Trend {
  series: string;
  unit: string;
  /** The first sample after the warm-up. */
  baseline: number;
  /** Least-squares slope over the second half of the run, in units per 10 minutes. */
  slopePer10Min: number;
  /** First and last sample of the second half. */
  secondHalf: { first: number; last: number; delta: number };
  /** Largest slope per 10 minutes still called flat: 5% of the baseline, or the floor if larger. */
  tolerance: number;
  verdict: 'flat after warm-up' | 'rising' | 'falling' | 'too few samples';
  spark: string;
}

/** Share of the baseline a series may move per 10 minutes and still be flat. */
const FLAT_SHARE = 0.05;

/** Slope of the least-squares line through the points (y per x). */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

const BARS = '▁▂▃▄▅▆▇█';

/** The values as a line of block characters from their minimum to their maximum, averaged down to `width` characters. */
export function sparkline(values: readonly number[], width = 48): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const buckets = Math.min(width, finite.length);
  const means = Array.from({ length: buckets }, (_, i) => {
    const part = finite.slice(Math.floor((i * finite.length) / buckets), Math.floor(((i + 1) * finite.length) / buckets));
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  return means.map((v) => BARS[hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]).join('');
}

export function trend(samples: readonly { minute: number; value: number }[], opts: TrendOptions): Trend {
  const points = samples.filter((s) => Number.isFinite(s.value));
  const afterWarmup = points.find((s) => s.minute >= opts.warmup * opts.minutes);
  const half = points.filter((s) => s.minute >= opts.minutes / 2);
  const slope = leastSquaresSlope(half.map((s) => ({ x: s.minute, y: s.value }))) * 10;
  const baseline = afterWarmup?.value ?? Number.NaN;
  const tolerance = Math.max(FLAT_SHARE * Math.abs(baseline), opts.floor);
  const first = half[0]?.value ?? Number.NaN;
  const last = half.at(-1)?.value ?? Number.NaN;
  const verdict =
    !Number.isFinite(slope) || !afterWarmup ? 'too few samples' : Math.abs(slope) <= tolerance ? 'flat after warm-up' : slope > 0 ? 'rising' : 'falling';
  return {
    series: opts.series,
    unit: opts.unit,
    baseline,
    slopePer10Min: slope,
    secondHalf: { first, last, delta: last - first },
    tolerance,
    verdict,
    spark: sparkline(points.map((s) => s.value)),
  };
}
