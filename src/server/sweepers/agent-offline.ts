// Sweeper: agents whose last heartbeat is older than the timeout go offline (agent-down alert,
// once per outage); everything they held (assigned or running) returns to the queue at once. Each pass
// also rebuilds the dispatcher's in-memory capacity from the database.
import type { Hub } from '../hub';

export async function sweepOfflineAgents(hub: Hub, now: Date): Promise<string[]> {
  const cutoff = new Date(now.getTime() - hub.config.heartbeatTimeoutSeconds * 1000);
  const stale = await hub.db.agent.findMany({
    where: { status: { not: 'offline' }, OR: [{ lastHeartbeatAt: { lt: cutoff } }, { lastHeartbeatAt: null }] },
    select: { id: true, name: true },
  });
  const wentOffline: string[] = [];
  for (const agent of stale) {
    if (!(await hub.agents.markOffline(agent.id))) continue;
    wentOffline.push(agent.id);
    await hub.alerts.send({
      kind: 'agent_down',
      dedupKey: agent.id,
      title: `Agent down: ${agent.name}`,
      message: `${agent.name} (${agent.id}) missed its heartbeats for ${hub.config.heartbeatTimeoutSeconds} s.`,
      priority: 4,
    });
  }
  // The sweeper also corrects the dispatcher's in-memory picture from the tables (drift after a crash).
  await hub.dispatcher.rebuild();
  return wentOffline;
}
