// The one lock every statement on the hub's single database connection respects. A Prisma
// interactive transaction holds it from BEGIN to COMMIT/ROLLBACK; anything else (a Prisma
// statement of another request, a raw-SQL transaction of the task engine, an event-log write)
// waits until it is released, so nothing can land inside someone else's open transaction.
// Work that is fully synchronous (better-sqlite3) runs at once when the lock is free.

export class ConnectionLock {
  private held = false;
  /** In arrival order; `sync` waiters run inline when their turn comes, the others are resumed holders. */
  private readonly waiters: { sync: boolean; start: () => void }[] = [];

  get isHeld(): boolean {
    return this.held;
  }

  /** Waiting callers, for tests and stats. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes the lock for an asynchronous holder (an interactive transaction); call the release function once. */
  async acquire(): Promise<() => void> {
    if (this.held || this.waiters.length > 0) await new Promise<void>((resolve) => this.waiters.push({ sync: false, start: resolve }));
    else this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.handOver();
    };
  }

  /**
   * Runs synchronous work under the lock: immediately when it is free (the result is already
   * settled when this returns), else when the current holder releases it.
   */
  run<T>(work: () => T): Promise<T> {
    if (!this.held && this.waiters.length === 0) {
      // Held while the work runs, so work it starts synchronously (a nested call) queues behind it.
      this.held = true;
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error as Error);
      } finally {
        this.handOver();
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({
        sync: true,
        start: () => {
          try {
            resolve(work());
          } catch (error) {
            reject(error as Error);
          }
        },
      });
    });
  }

  /**
   * Gives the lock to the waiters in arrival order: synchronous work runs here, one after the
   * other (a loop, not recursion, however many are queued); an asynchronous holder keeps the
   * lock until it releases it.
   */
  private handOver(): void {
    for (;;) {
      const next = this.waiters.shift();
      if (!next) {
        this.held = false;
        return;
      }
      this.held = true;
      next.start();
      if (!next.sync) return;
    }
  }
}
