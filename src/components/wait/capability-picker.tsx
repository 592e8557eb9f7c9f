// The create sheet's capability field: suggestions from what agents advertise, free text
// allowed with a warning when no agent offers it yet, and which agents could take the task
// (online ones first), so the operator sees before creating whether it will wait.
'use client';
import { useId } from 'react';

export interface PickerAgent {
  id: string;
  status: string;
  kind: string;
  maxConcurrent: number;
  capabilities: string[];
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
  const online = capable.filter((agent) => agent.status !== 'offline');
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
      <span id={`${id}-hint`} data-testid="capability-hint" role="status" style={{ overflowWrap: 'anywhere' }} className={unknown || online.length === 0 ? 'error' : 'muted'}>
        {unknown
          ? 'No agent offers this yet: the task will wait until one does.'
          : capable.length === 0
            ? 'No agent can take tasks yet.'
            : `Could take it: ${capable
                .slice(0, 6)
                .map((agent) => `${agent.id}${agent.status === 'offline' ? ' (offline)' : ''}`)
                .join(', ')}${capable.length > 6 ? ` and ${capable.length - 6} more` : ''}${online.length === 0 ? ' — none online now' : ''}`}
      </span>
    </div>
  );
}
