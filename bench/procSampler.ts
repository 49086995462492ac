/**
 * CPU and memory of another process, from /proc (Linux): process.cpuUsage() only covers the
 * calling process. CPU is utime + stime from /proc/<pid>/stat, memory VmRSS and the kernel's
 * own peak, VmHWM, from /proc/<pid>/status. For the main thread (the event loop), the time it
 * spent on a CPU and waiting in the run queue, from /proc/<pid>/task/<pid>/schedstat: what is
 * left of the wall time was idle or blocked (an fsync, say). Alongside, the machine's CPU and I/O pressure
 * (/proc/pressure/*): how often some process waited for a core or for the disk, which says how
 * far the numbers were disturbed by other work, the bench's own generators included.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { now } from './clock.js';

interface Sample {
  at: number;
  cpuMs: number;
  rssMb: number;
  /** Total µs in which some task waited for a CPU, or for I/O, machine-wide; null without PSI. */
  cpuWaitUs: number | null;
  ioWaitUs: number | null;
  /** The main thread's time on a CPU and in the run queue, in ms; null without schedstat. */
  mainRunMs: number | null;
  mainQueueMs: number | null;
}

export interface PhaseUsage {
  /** CPU time the process used in the phase (user + system), in ms: divided by the operations, the cost of one. */
  cpuMs: number;
  /** Average CPU over the phase, in % of one core (200% is both cores of a 2-core machine). */
  cpuAvgPct: number;
  /** Highest CPU over one sampling interval in the phase. */
  cpuMaxPct: number;
  rssMaxMb: number;
  /** Share of the phase the server's main thread ran on a CPU, and waited in the run queue for one. */
  mainRunPct: number;
  mainQueuePct: number;
  /** Share of the phase in which some process on the machine waited for a CPU... */
  cpuPressurePct: number;
  /** ...or for I/O (the server's fsyncs included). */
  ioPressurePct: number;
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export function readCpuMs(pid: number, ticksPerSecond: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The process name (field 2) may contain spaces; the fields after it are plain numbers.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

function readPressure(resource: 'cpu' | 'io'): { totalUs: number; avg60: number } | null {
  try {
    const some = /^some avg10=[\d.]+ avg60=([\d.]+) avg300=[\d.]+ total=(\d+)/m.exec(fs.readFileSync(`/proc/pressure/${resource}`, 'utf8'));
    return some ? { avg60: Number(some[1]), totalUs: Number(some[2]) } : null;
  } catch {
    return null;
  }
}

/** The machine's CPU or I/O pressure over the last minute (%), or null where the kernel has no PSI. */
export const pressureAvg60 = (resource: 'cpu' | 'io'): number | null => readPressure(resource)?.avg60 ?? null;

function readSchedstat(pid: number): { runMs: number; queueMs: number } | null {
  try {
    const [run, queue] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { runMs: run! / 1e6, queueMs: queue! / 1e6 };
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM in MB, or null when the process is gone. */
export function readMemoryMb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export class ProcSampler {
  private readonly samples: Sample[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly ticks = clockTicks();

  constructor(
    readonly pid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample() {
    const cpuMs = readCpuMs(this.pid, this.ticks);
    const mem = readMemoryMb(this.pid);
    const sched = readSchedstat(this.pid);
    if (cpuMs !== null && mem) {
      this.samples.push({
        at: now(),
        cpuMs,
        rssMb: mem.rss,
        cpuWaitUs: readPressure('cpu')?.totalUs ?? null,
        ioWaitUs: readPressure('io')?.totalUs ?? null,
        mainRunMs: sched?.runMs ?? null,
        mainQueueMs: sched?.queueMs ?? null,
      });
    }
  }

  /**
   * Takes a sample now and returns its time: the start of a short operation, so its usage does
   * not include up to a sampling interval of what came before.
   */
  mark(): number {
    this.sample();
    return now();
  }

  /**
   * Usage between two `now()` times. Takes a fresh sample first, so a phase that just ended is
   * covered: a caller's `to` is usually its `now()`, read a moment before that sample, which then
   * ends the phase. Without it a fan-out shorter than the sampling interval measured nothing.
   */
  usage(from: number, to: number): PhaseUsage {
    const calledAt = now();
    this.sample();
    const fresh = this.samples.at(-1);
    const end = fresh && to >= calledAt - 1 && fresh.at >= to ? fresh.at : to;
    const inPhase = this.samples.filter((s) => s.at >= from && s.at <= end);
    const before = this.samples.filter((s) => s.at < from).at(-1);
    const points = before ? [before, ...inPhase] : inPhase;
    let cpuMaxPct = 0;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      if (b.at > a.at) cpuMaxPct = Math.max(cpuMaxPct, ((b.cpuMs - a.cpuMs) / (b.at - a.at)) * 100);
    }
    const first = points[0];
    const last = points.at(-1);
    const span = first && last && last.at > first.at ? last.at - first.at : NaN;
    const cpuAvgPct = first && last ? ((last.cpuMs - first.cpuMs) / span) * 100 : NaN;
    const share = (a: number | null | undefined, b: number | null | undefined, perMs = 1) => (a != null && b != null ? ((b - a) / perMs / span) * 100 : NaN);
    return {
      cpuMs: first && last ? last.cpuMs - first.cpuMs : NaN,
      cpuAvgPct,
      cpuMaxPct,
      rssMaxMb: Math.max(...inPhase.map((s) => s.rssMb), before?.rssMb ?? 0),
      mainRunPct: share(first?.mainRunMs, last?.mainRunMs),
      mainQueuePct: share(first?.mainQueueMs, last?.mainQueueMs),
      cpuPressurePct: share(first?.cpuWaitUs, last?.cpuWaitUs, 1000),
      ioPressurePct: share(first?.ioWaitUs, last?.ioWaitUs, 1000),
    };
  }

  /** The kernel's peak resident set of the process so far (VmHWM). */
  peakRssMb(): number {
    return readMemoryMb(this.pid)?.peak ?? Math.max(...this.samples.map((s) => s.rssMb));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
