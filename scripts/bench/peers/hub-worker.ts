// One simulated hub worker, as the real worker behaves: its own agent token; with free slots it keeps
// one long-poll claim open (tasks.claim waitMs; 0 = claim only when task_assigned arrives on its
// event stream, GET /api/stream, which also wakes it); upper-cases; reports in batches that claim the next work.
import { openEventStream, type EventStreamConnection } from '../../../src/lib/event-stream-client';
import { createHubClient, type HubClient } from '../../../src/lib/hub-client';

/** reportMany's maximum per call. */
const REPORT_BATCH = 500;
/** tasks.claim's maximum per call. */
const CLAIM_LIMIT = 64;

type Report = { taskId: string; attemptId: string; status: 'done'; output: string; idempotencyKey: string };

export class HubWorker {
  completed = 0;
  failedReports = 0;
  firstError: string | undefined;
  private free: number;
  private claiming = false;
  private again = false;
  private stopped = false;
  private pending: Report[] = [];
  private flushScheduled = false;
  private subscription: EventStreamConnection | undefined;
  private readonly claimAbort = new AbortController();

  private constructor(
    readonly id: string,
    private readonly client: HubClient,
    slots: number,
    private readonly claimWaitMs: number,
  ) {
    this.free = slots;
  }

  /** Creates the agent's token, registers it with `slots` concurrency and waits until its event stream is open. */
  static async start(hubUrl: string, master: HubClient, id: string, slots: number, claimWaitMs: number): Promise<HubWorker> {
    const { token } = await master.tokens.create.mutate({ agentId: id, preset: 'worker' });
    // Unbatched, like the real worker: tRPC's batch link waits a timer tick (≥ 1 ms) before each request.
    const client = createHubClient({ hubUrl, token, batch: false });
    await client.agents.register.mutate({ id, name: id, capabilities: [], maxConcurrent: slots });
    const worker = new HubWorker(id, client, slots, claimWaitMs);
    await new Promise<void>((resolve, reject) => {
      worker.subscription = openEventStream({
        hubUrl,
        token,
        types: ['task_assigned'],
        onOpen: () => resolve(),
        onError: (error) => {
          if (error.fatal) reject(new Error(error.message));
        },
        onEvent(event) {
          if (event.type === 'task_assigned' && event.payload.assignedTo === id) void worker.pump();
        },
      });
    });
    void worker.pump(); // anything assigned before the stream opened
    return worker;
  }

  stop(): void {
    this.stopped = true;
    this.claimAbort.abort();
    this.subscription?.close();
  }

  /** Claims while there are free slots (long-polling when it waits) or the hub hands out work; one claim in flight at a time. */
  private async pump(): Promise<void> {
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    try {
      do {
        this.again = false;
        if (this.stopped || this.free === 0) break;
        const limit = Math.min(CLAIM_LIMIT, this.free);
        const claimed = await this.client.tasks.claim.mutate({ limit, waitMs: this.claimWaitMs }, { signal: this.claimAbort.signal });
        this.free -= claimed.length;
        this.accept(claimed);
        if (claimed.length === limit || this.claimWaitMs > 0) this.again = true;
      } while (this.again);
    } catch (error) {
      if (!this.stopped) this.firstError ??= `claim: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.claiming = false;
    }
  }

  /** Reports that finish in the same tick go out together. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.pending.length > 0) void this.report(this.pending.splice(0, REPORT_BATCH));
    });
  }

  /** Reports a batch and, in the same call, claims the next work up to the slots it frees (claimNext). */
  private async report(reports: Report[]): Promise<void> {
    try {
      const claimNext = Math.min(CLAIM_LIMIT, this.free + reports.length);
      const { results, claimed } = await this.client.tasks.reportMany.mutate({ reports, claimNext });
      for (const result of results) {
        if (result.ok) this.completed += 1;
        else {
          this.failedReports += 1;
          this.firstError ??= `reportMany: ${result.error.code}: ${result.error.message}`;
        }
      }
      this.free += reports.length - claimed.length;
      this.accept(claimed);
    } catch (error) {
      this.failedReports += reports.length;
      this.firstError ??= `reportMany: ${error instanceof Error ? error.message : String(error)}`;
      this.free += reports.length;
    }
    void this.pump();
  }

  /** Runs claimed tasks: the job is upper-casing the prompt; the result goes out with the next batch of reports. */
  private accept(claimed: { taskId: string; attemptId: string; prompt: string }[]): void {
    for (const task of claimed) {
      this.pending.push({ taskId: task.taskId, attemptId: task.attemptId, status: 'done', output: task.prompt.toUpperCase(), idempotencyKey: `bench-${task.attemptId}` });
    }
    if (claimed.length > 0) this.scheduleFlush();
  }
}
