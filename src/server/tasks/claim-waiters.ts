// Long-poll claims (tasks.claim with waitMs): a worker with free slots and nothing assigned keeps
// one claim open; the hub answers it as soon as a dispatch pass assigns the agent a task, instead
// of the worker hearing task_assigned on its event stream and sending a claim of its own. That is
// BullMQ's blocking fetch, and it takes one HTTP round trip out of every idle pickup. The stream
// still carries task_assigned for everyone else (and for workers that do not long-poll).
//
// Each agent has a generation, bumped on every assignment it receives. A claim reads it before
// its (empty) claim transaction and waits only if it is unchanged afterwards, so an assignment
// that commits between the empty claim and the wait is never slept through.

export class ClaimWaiters {
  private readonly generations = new Map<string, number>();
  private readonly waiting = new Map<string, Set<() => void>>();
  private closedFlag = false;

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Open waits, all agents together (stats and tests). */
  get size(): number {
    let size = 0;
    for (const set of this.waiting.values()) size += set.size;
    return size;
  }

  /** The agent's assignment generation; pass it to `wait` after a claim that found nothing. */
  generation(agentId: string): number {
    return this.generations.get(agentId) ?? 0;
  }

  /** An assignment to the agent committed: wakes its waiting claims. */
  notify(agentId: string): void {
    this.generations.set(agentId, this.generation(agentId) + 1);
    const set = this.waiting.get(agentId);
    if (!set) return;
    this.waiting.delete(agentId);
    for (const wake of set) wake();
  }

  /**
   * Resolves at once if the agent's generation moved past `seen`; otherwise when it moves, after
   * `ms`, when `signal` aborts (the client went away) or when the hub shuts down — whichever is first.
   */
  wait(agentId: string, seen: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closedFlag || this.generation(agentId) !== seen || ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let set = this.waiting.get(agentId);
      if (!set) this.waiting.set(agentId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        const current = this.waiting.get(agentId);
        current?.delete(done);
        if (current?.size === 0) this.waiting.delete(agentId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** Shutdown: every open wait returns now, and new ones do not wait. */
  close(): void {
    this.closedFlag = true;
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const set of all) for (const wake of set) wake();
  }
}
