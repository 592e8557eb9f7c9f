// The "New task" sheet (a bottom sheet on phones): title, prompt with its byte count against the
// 8 KB limit, capability, priority, preferred agent and deadline. The hub validates everything;
// its error (naming the field and the limit) is shown and the form keeps what was typed.
'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_PRIORITY, MAX_PRIORITY } from '@/lib/tasks';
import { useTRPC } from '../trpc';
import { CapabilityPicker } from '../wait/capability-picker';
import { promptSize } from './format';
import type { Agent } from './types';
import styles from './new-task-sheet.module.css';

interface Draft {
  title: string;
  prompt: string;
  capability: string;
  priority: string;
  assignTo: string;
  deadline: string;
}

const EMPTY_DRAFT: Draft = { title: '', prompt: '', capability: '', priority: String(DEFAULT_PRIORITY), assignTo: '', deadline: '' };

export function NewTaskSheet({ open, agents, onClose }: { open: boolean; agents: readonly Agent[]; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      onSuccess: () => {
        setDraft(EMPTY_DRAFT);
        void queryClient.invalidateQueries(trpc.tasks.pathFilter());
        onClose();
      },
    }),
  );
  const size = promptSize(draft.prompt);
  const workers = agents.filter((agent) => agent.maxConcurrent > 0);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  function update(field: keyof Draft) {
    return (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [field]: event.target.value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const priority = Number.parseInt(draft.priority, 10);
    create.mutate({
      title: draft.title.trim(),
      prompt: draft.prompt,
      priority: Number.isNaN(priority) ? DEFAULT_PRIORITY : priority,
      requiredCapability: draft.capability.trim() || undefined,
      assignTo: draft.assignTo || undefined,
      // datetime-local has no zone: it is the operator's local time.
      deadline: draft.deadline ? new Date(draft.deadline).toISOString() : undefined,
    });
  }

  return (
    <dialog
      ref={dialog}
      className={styles.sheet}
      aria-labelledby={titleId}
      onClose={() => {
        create.reset();
        onClose();
      }}
      onClick={(event) => {
        // A tap on the backdrop (the dialog element itself, outside the panel) closes the sheet.
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
    >
      <form className={styles.panel} onSubmit={submit} noValidate>
        <header className={styles.header}>
          <h2 id={titleId}>New task</h2>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </header>
        <label className={styles.field}>
          <span>Title</span>
          <input value={draft.title} onChange={update('title')} required maxLength={200} autoComplete="off" />
        </label>
        <div className={styles.field}>
          <span className={styles.labelRow}>
            <label htmlFor={`${titleId}-prompt`}>Prompt</label>
            <output id={`${titleId}-prompt-bytes`} className={size.over ? 'error' : 'muted'} aria-live="polite" data-testid="prompt-bytes">
              {size.bytes.toLocaleString('en-US')} / {size.limit.toLocaleString('en-US')} bytes
            </output>
          </span>
          <textarea
            id={`${titleId}-prompt`}
            value={draft.prompt}
            onChange={update('prompt')}
            required
            rows={6}
            aria-invalid={size.over}
            aria-describedby={`${titleId}-prompt-bytes`}
          />
        </div>
        <div className={styles.row}>
          <CapabilityPicker value={draft.capability} onChange={(capability) => setDraft((current) => ({ ...current, capability }))} agents={agents} fieldClassName={styles.field} />
          <label className={styles.field}>
            <span>Priority (0–{MAX_PRIORITY})</span>
            <input type="number" inputMode="numeric" min={0} max={MAX_PRIORITY} value={draft.priority} onChange={update('priority')} />
          </label>
        </div>
        <div className={styles.row}>
          <label className={styles.field}>
            <span>Assign to</span>
            <select value={draft.assignTo} onChange={update('assignTo')}>
              <option value="">Any capable agent</option>
              {workers.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.id} · {agent.status}
                </option>
              ))}
            </select>
          </label>
          <label className={styles.field}>
            <span>Deadline</span>
            <input type="datetime-local" value={draft.deadline} onChange={update('deadline')} />
          </label>
        </div>
        {create.error ? (
          <p className={`error ${styles.error}`} role="alert">
            {create.error.message}
          </p>
        ) : null}
        <footer className={styles.footer}>
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create task'}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
