/**
 * Runs `fn` at most once per interval per key, always with the latest call's effect (trailing).
 * A call may pass its own interval, for a key whose pace depends on its size.
 * Once stopped it schedules nothing more: sockets still disconnect while the server shuts down,
 * and their handlers must not start timers that would run against a closed database.
 */
export function throttle(intervalMs: number) {
  const pending = new Map<string, NodeJS.Timeout>();
  const last = new Map<string, number>();
  let stopped = false;
  return {
    run(key: string, fn: () => void, interval = intervalMs) {
      if (stopped || pending.has(key)) return;
      const wait = Math.max(0, (last.get(key) ?? 0) + interval - Date.now());
      const timer = setTimeout(() => {
        pending.delete(key);
        last.set(key, Date.now());
        fn();
      }, wait);
      timer.unref();
      pending.set(key, timer);
    },
    stop() {
      stopped = true;
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    },
  };
}
