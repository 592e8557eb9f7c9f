// What an agent card says about its agent: the registry status, corrected by what keeps it from
// taking work (an open breaker, a paused load gate, a spent budget), and how long an offline agent
// has been gone. Same order as the dispatcher's checks (MeshCapacity.blocker).

export interface AgentStatusInput {
  status: string;
  breaker: { state: string };
  claimingPaused: string | null;
  tokensUsedToday: number;
  effectiveDailyTokenBudget: number;
  offlineSince: string | null;
}

export interface AgentStatusLabel {
  /** For colour: online | busy | offline | held. */
  tone: 'online' | 'busy' | 'offline' | 'held';
  label: string;
  /** Why it takes no work, in a sentence (null: nothing holds it back). */
  detail: string | null;
}

function offlineFor(since: string | null, now: number): string {
  if (!since) return 'offline';
  const minutes = Math.floor((now - Date.parse(since)) / 60_000);
  if (minutes < 1) return 'offline < 1 min';
  if (minutes < 90) return `offline ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `offline ${hours} h`;
  return `offline ${Math.floor(hours / 24)} d`;
}

export function agentStatusLabel(agent: AgentStatusInput, now: number): AgentStatusLabel {
  if (agent.status === 'offline') return { tone: 'offline', label: offlineFor(agent.offlineSince, now), detail: null };
  if (agent.breaker.state === 'open') return { tone: 'held', label: 'breaker open', detail: 'Its breaker is open after repeated failures: no work until the cooldown ends.' };
  if (agent.claimingPaused) return { tone: 'held', label: 'paused', detail: `Claiming paused by its load gate (${agent.claimingPaused}).` };
  if (agent.tokensUsedToday >= agent.effectiveDailyTokenBudget) {
    return {
      tone: 'held',
      label: 'budget spent',
      detail: `Daily token budget spent (${agent.tokensUsedToday.toLocaleString('en-US')} of ${agent.effectiveDailyTokenBudget.toLocaleString('en-US')}); more work from 00:00 UTC.`,
    };
  }
  return { tone: agent.status === 'busy' ? 'busy' : 'online', label: agent.status, detail: null };
}
