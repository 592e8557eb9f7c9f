// Prometheus metrics of one hub (prom-client, its own registry, so several hubs in one test
// process do not share counters). Cheap on the hot path: counters and histograms are updated
// in memory from the bus's committed events and from finished HTTP requests; gauges (tasks by
// status, queue depth, agents, breakers, stream subscribers) are computed when scraped.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TASK_STATUSES } from '@/lib/tasks';
import type { MeshEvent, StreamItem } from '@/lib/events';
import type { Hub } from '../hub';
import { effectiveBreakerState } from '../services/tasks/circuit-breaker';

/** Tasks waiting for their first claim whose creation time is remembered for the pickup histogram. */
const MAX_PENDING_PICKUPS = 100_000;

const FINISHED_EVENTS: Record<string, string> = { task_completed: 'done', task_failed: 'failed', task_cancelled: 'cancelled' };

export class HubMetrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly requestSeries = new Map<string, ReturnType<Histogram<'method' | 'route' | 'status'>['labels']>>();
  private readonly lifecycles: Counter<'status'>;
  private readonly pickup: Histogram;
  /** taskId → created time (ms), until its first claim. */
  private readonly createdAt = new Map<string, number>();

  constructor(private readonly hub: Hub) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'm3shd_' });
    this.requestDuration = new Histogram({
      name: 'm3shd_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status (event streams excluded: they last as long as the client stays)',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lifecycles = new Counter({ name: 'm3shd_task_lifecycles_completed_total', help: 'Tasks that reached an end state since the hub started, by status', labelNames: ['status'], registers });
    this.pickup = new Histogram({
      name: 'm3shd_task_pickup_seconds',
      help: 'Created → first claimed, from the hub’s own event timestamps',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });

    const tasksByStatus = new Gauge({
      name: 'm3shd_tasks',
      help: 'Tasks by status',
      labelNames: ['status'],
      registers,
      collect: async () => {
        const rows = await hub.db.task.groupBy({ by: ['status'], _count: { _all: true } });
        const counts = new Map(rows.map((row) => [row.status, row._count._all]));
        for (const status of TASK_STATUSES) tasksByStatus.set({ status }, counts.get(status) ?? 0);
      },
    });
    // Its own query: the registry collects every metric at once, not one after another.
    const queueDepth: Gauge = new Gauge({
      name: 'm3shd_queue_depth',
      help: 'Tasks queued and not yet assigned to an agent',
      registers,
      collect: async (): Promise<void> => queueDepth.set(await hub.db.task.count({ where: { status: 'queued' } })),
    });
    const agentsByStatus = new Gauge({
      name: 'm3shd_agents',
      help: 'Agents by status',
      labelNames: ['status'],
      registers,
      collect: () => {
        agentsByStatus.reset();
        for (const agent of hub.capacity.all()) agentsByStatus.inc({ status: agent.status });
      },
    });
    const openBreakers = new Gauge({
      name: 'm3shd_open_breakers',
      help: 'Agents whose circuit breaker is open or half-open',
      registers,
      collect: () => {
        const now = hub.clock.now();
        const settings = { failureThreshold: hub.config.breakerFailures, cooldownMs: hub.config.breakerCooldownSeconds * 1000 };
        openBreakers.set(hub.capacity.all().filter((agent) => effectiveBreakerState(agent.breaker, now, settings) !== 'closed').length);
      },
    });
    const subscribers: Gauge = new Gauge({
      name: 'm3shd_event_stream_subscribers',
      help: 'Open event streams (GET /api/stream and events.stream)',
      registers,
      collect: (): void => subscribers.set(hub.events.stats().subscribers),
    });
    let droppedSeen = 0;
    const dropped = new Counter({
      name: 'm3shd_event_stream_dropped_events_total',
      help: 'Events not delivered to a subscriber that fell behind its queue cap',
      registers,
      collect: () => {
        const total = hub.events.stats().droppedTotal;
        if (total > droppedSeen) dropped.inc(total - droppedSeen);
        droppedSeen = total;
      },
    });

    hub.events.observe((event) => this.onEvent(event));
  }

  /** A finished HTTP request; `route` is a template (bounded label values). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      series = this.requestDuration.labels(method, route, String(status));
      this.requestSeries.set(key, series);
    }
    series.observe(seconds);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private onEvent(meshEvent: MeshEvent): void {
    const event = meshEvent as StreamItem;
    if (event.type === 'task_created') {
      if (this.createdAt.size >= MAX_PENDING_PICKUPS) this.createdAt.delete(this.createdAt.keys().next().value!);
      this.createdAt.set(event.payload.taskId, Date.parse(event.ts));
      return;
    }
    if (event.type === 'task_claimed') {
      const created = this.createdAt.get(event.payload.taskId);
      if (created !== undefined) {
        this.createdAt.delete(event.payload.taskId);
        this.pickup.observe(Math.max(0, Date.parse(event.ts) - created) / 1000);
      }
      return;
    }
    const finished = FINISHED_EVENTS[event.type];
    if (finished) {
      this.lifecycles.inc({ status: finished });
      if (event.type === 'task_cancelled') this.createdAt.delete(event.payload.taskId);
    }
  }
}
