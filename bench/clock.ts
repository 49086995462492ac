/**
 * One time base for every bench process. All processes run on the same machine, so
 * `timeOrigin + now()` gives comparable milliseconds across them (unlike `performance.now()`
 * alone, whose origin is per process), with sub-millisecond resolution (unlike `Date.now()`).
 */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves at an absolute `now()` time; the orchestrator hands out start times this way. */
export const sleepUntil = (at: number): Promise<void> => sleep(Math.max(0, at - now()));
