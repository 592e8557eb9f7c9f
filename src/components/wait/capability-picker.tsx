// The create sheet's capability field: suggestions from what agents advertise, free text
// allowed with a warning when no agent offers it yet, and which agents could take the task
// (online ones first), so the operator sees before creating whether it will wait.
'use client';
import { useId } from 'react';
import { agentStatusLabel, type AgentStatusInput } from '../dashboard/agent-status';

export interface PickerAgent extends AgentStatusInput {
  id: string;
  kind: string;
  maxConcurrent: number;
  capabilities: string[];
}

/** "rex", or "flaky (breaker open)" / "gone (offline 3 min)" for one that cannot take work now. */
function describeAgent(agent: PickerAgent, now: number): string {
  const status = agentStatusLabel(agent, now);
  return status.tone === 'held' || status.tone === 'offline' ? `${agent.id} (${status.label})` : agent.id;
}

function canTakeWorkNow(agent: PickerAgent, now: number): boolean {
  const tone = agentStatusLabel(agent, now).tone;
  return tone === 'online' || tone === 'busy';
}

/** Agents dispatch could ever give a task needing `capability` (the dispatcher's rule: workers with slots). */
export function capableAgents(agents: readonly PickerAgent[], capability: string): PickerAgent[] {
  const wanted = capability.trim();
  return agents
    .filter((agent) => agent.kind !== 'commander' && agent.maxConcurrent > 0 && (!wanted || agent.capabilities.includes(wanted)))
    .sort((a, b) => Number(a.status === 'offline') - Number(b.status === 'offline') || a.id.localeCompare(b.id));
}

export function CapabilityPicker({
  value,
  onChange,
  agents,
  inputClassName,
  fieldClassName,
}: {
  value: string;
  onChange: (value: string) => void;
  agents: readonly PickerAgent[];
  inputClassName?: string;
  fieldClassName?: string;
}) {
  const id = useId();
  const advertised = [...new Set(agents.flatMap((agent) => agent.capabilities))].sort();
  const wanted = value.trim();
  const unknown = wanted !== '' && !advertised.includes(wanted);
  const capable = capableAgents(agents, wanted);
  const now = Date.now();
  const ready = capable.filter((agent) => canTakeWorkNow(agent, now));
  return (
    <div className={fieldClassName}>
      <label htmlFor={`${id}-input`}>Capability</label>
      <input
        id={`${id}-input`}
        className={inputClassName}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        list={`${id}-list`}
        placeholder="any"
        autoComplete="off"
        autoCapitalize="none"
        aria-describedby={`${id}-hint`}
      />
      <datalist id={`${id}-list`}>
        {advertised.map((capability) => (
          <option key={capability} value={capability} />
        ))}
      </datalist>
      <span id={`${id}-hint`} data-testid="capability-hint" role="status" style={{ overflowWrap: 'anywhere' }} className={unknown || ready.length === 0 ? 'error' : 'muted'}>
        {unknown
          ? 'No agent offers this yet: the task will wait until one does.'
          : capable.length === 0
            ? 'No agent can take tasks yet.'
            : `Could take it: ${capable
                .slice(0, 6)
                .map((agent) => describeAgent(agent, now))
                .join(', ')}${capable.length > 6 ? ` and ${capable.length - 6} more` : ''}${ready.length === 0 ? ' — none can take it now' : ''}`}
      </span>
    </div>
  );
}
