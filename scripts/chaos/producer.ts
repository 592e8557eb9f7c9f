// Creates the N chaos tasks in tasks.createMany batches, each task with a clientRequestId, resending a failed batch until the hub takes it.
import type { HubClient } from '../../src/lib/hub-client';

export function taskPrompt(index: number): string {
  return `chaos-${String(index).padStart(6, '0')}`;
}

export interface ProducerOptions {
  tasks: number;
  batchSize: number;
  /** Creation waits while more than this many tasks are unfinished, so it goes on through the run (and meets the kills). */
  backlog: number;
}

export interface ProducerStats {
  batches: number;
  requests: number;
  failedRequests: number;
  /** Batches whose first send failed and that were sent again. */
  resentBatches: number;
  lastError: string | null;
  created: number;
  firstCreatedAt: number | null;
  lastCreatedAt: number | null;
}

const REQUEST_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class TaskProducer {
  readonly stats: ProducerStats = { batches: 0, requests: 0, failedRequests: 0, resentBatches: 0, lastError: null, created: 0, firstCreatedAt: null, lastCreatedAt: null };

  constructor(
    private readonly client: HubClient,
    private readonly options: ProducerOptions,
    /** Finished tasks as last seen (for the backlog). */
    private readonly finished: () => number,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    const { tasks, batchSize, backlog } = this.options;
    for (let first = 1; first <= tasks; first += batchSize) {
      while (this.stats.created - this.finished() > backlog) {
        if (signal.aborted) return;
        await sleep(50);
      }
      const last = Math.min(tasks, first + batchSize - 1);
      const inputs = [];
      for (let index = first; index <= last; index += 1) {
        const prompt = taskPrompt(index);
        inputs.push({ title: `chaos ${index}`, prompt, clientRequestId: prompt });
      }
      this.stats.batches += 1;
      for (let attempt = 1; ; attempt += 1) {
        if (signal.aborted) return;
        this.stats.requests += 1;
        try {
          const answer = await this.client.tasks.createMany.mutate({ tasks: inputs }, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          if (answer.tasks.length !== inputs.length) throw new Error(`createMany answered ${answer.tasks.length} tasks for ${inputs.length}`);
          break;
        } catch (error) {
          // The hub may be dead or starting: the client request ids make the resend safe.
          this.stats.failedRequests += 1;
          if (attempt === 1) this.stats.resentBatches += 1;
          this.stats.lastError = error instanceof Error ? error.message.slice(0, 200) : String(error);
          await sleep(Math.min(2_000, 200 * attempt));
        }
      }
      this.stats.created = last;
      this.stats.firstCreatedAt ??= Date.now();
      this.stats.lastCreatedAt = Date.now();
    }
  }
}
