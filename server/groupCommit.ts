/**
 * Group commit: writes that arrive close together share one commit, and whoever wrote waits for
 * that commit before acknowledging. A commit with `synchronous = FULL` costs fsyncs whatever it
 * holds, so a thousand writes a second as a thousand commits would be most of the server's work.
 *
 * A lone write is committed in the next turn of the event loop. When commits follow each other
 * closely, the next waits until `spacingMs` after the last began, so what arrives meanwhile
 * joins it (see CommitPacer).
 */
export interface GroupCommitOptions {
  spacingMs: number;
  /** Whether anything waits to be committed. */
  isEmpty(): boolean;
  /** Commits everything that waits; throws if the commit failed (and nothing of it is on disk). */
  commit(): void;
  /** After a failed commit: what the writer keeps in memory may not match the file any more. */
  failed(): void;
}

/**
 * When the next commit runs: a lone one in the next turn of the event loop, one that follows
 * another closely `spacingMs` after that one began. Shared by the group commits here and the
 * Yjs document store, which keeps its own waiters.
 */
export class CommitPacer {
  private scheduled = false;
  private lastAt = 0;

  constructor(
    private readonly spacingMs: number,
    private readonly commit: () => void,
  ) {}

  /** Something new waits to be committed. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastAt + this.spacingMs - Date.now();
    if (wait <= 0) setImmediate(this.commit);
    else setTimeout(this.commit, wait);
  }

  /** A commit begins, scheduled or not (shutdown and unloading commit at once). */
  began(): void {
    this.scheduled = false;
    this.lastAt = Date.now();
  }
}

export class GroupCommit {
  private waiting: ((err?: Error) => void)[] = [];
  private readonly pacer: CommitPacer;

  constructor(private readonly opts: GroupCommitOptions) {
    this.pacer = new CommitPacer(opts.spacingMs, () => this.flush());
  }

  /** Calls `done` once everything written so far is committed: at once when nothing waits. */
  whenStored(done: (err?: Error) => void): void {
    if (this.opts.isEmpty()) done();
    else this.waiting.push(done);
  }

  /** A promise for `whenStored`. */
  stored(): Promise<void> {
    return new Promise((resolve, reject) => this.whenStored((err) => (err ? reject(err) : resolve())));
  }

  /** Something new waits to be committed. */
  schedule(): void {
    this.pacer.schedule();
  }

  /** Commits what waits now (also on shutdown); everyone waiting hears how it went. */
  flush(): void {
    this.pacer.began();
    if (this.opts.isEmpty()) return this.release();
    try {
      this.opts.commit();
    } catch (err) {
      this.opts.failed();
      return this.release(err instanceof Error ? err : new Error(String(err)));
    }
    this.release();
  }

  private release(err?: Error): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const done of waiting) done(err);
  }
}
