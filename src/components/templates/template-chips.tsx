// Template chips (spec section 16): one chip per task template; a tap opens a bottom sheet with
// the template's variables, and Dispatch creates the task (templates.dispatch). Self-contained:
// the Tasks page shows it as its own row, the chat composer inline among its quick chips
// (`inline`: just the chips, the sheet rendered in a portal since the composer is a form).
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { can, useMe } from '../shell/app-shell';
import { useLiveEvents } from '../shell/live-events';
import { useTRPC } from '../trpc';
import styles from './template-chips.module.css';

interface Template {
  id: string;
  name: string;
  description: string;
  promptTemplate: string;
  variables: string[];
  capability: string | null;
}

export function TemplateChips({ inline = false }: { inline?: boolean }) {
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const { listen } = useLiveEvents();
  const allowed = can(me, 'tasks:write') && can(me, 'tasks:read');
  const templates = useQuery({ ...trpc.templates.list.queryOptions(), enabled: allowed });
  const [open, setOpen] = useState<Template | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(
    () =>
      listen((event) => {
        if (event.type.startsWith('template_')) void queryClient.invalidateQueries(trpc.templates.pathFilter());
      }),
    [listen, queryClient, trpc],
  );

  if (!allowed || !templates.data || templates.data.length === 0) return null;
  const chips = templates.data.map((template) => (
    <button
      key={template.id}
      type="button"
      className={styles.chip}
      onClick={() => {
        setNotice(null);
        setOpen(template);
      }}
      title={template.description || undefined}
      data-testid="template-chip"
    >
      {template.name}
    </button>
  ));
  const sheet = open ? (
    <VariableSheet
      template={open}
      onClose={() => setOpen(null)}
      onDispatched={(title) => {
        setOpen(null);
        setNotice(`Queued “${title}”`);
      }}
    />
  ) : null;
  const portal = typeof document === 'undefined' || !sheet ? null : createPortal(sheet, document.body);

  if (inline) return <>{chips}{portal}</>;
  return (
    <section className={styles.row} aria-label="Templates">
      <div className={styles.chips} role="group" aria-label="Dispatch from a template">
        {chips}
      </div>
      {notice ? (
        <p className={`ok ${styles.notice}`} role="status">
          {notice}
        </p>
      ) : null}
      {portal}
    </section>
  );
}

function VariableSheet({ template, onClose, onDispatched }: { template: Template; onClose: () => void; onDispatched: (title: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(template.variables.map((variable) => [variable, ''])));
  const dispatch = useMutation(
    trpc.templates.dispatch.mutationOptions({
      onSuccess: ({ task }) => {
        void queryClient.invalidateQueries(trpc.tasks.pathFilter());
        onDispatched(task.title);
      },
    }),
  );

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    dispatch.mutate({ templateId: template.id, variables: values });
  }

  return (
    <dialog
      ref={dialog}
      className={styles.sheet}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
    >
      <form className={styles.panel} onSubmit={submit} noValidate>
        <header className={styles.header}>
          <h2 id={titleId}>{template.name}</h2>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </header>
        {template.description ? <p className={`muted ${styles.description}`}>{template.description}</p> : null}
        {template.variables.map((variable, index) => (
          <label key={variable} className={styles.field}>
            <span>{variable}</span>
            <input
              value={values[variable] ?? ''}
              onChange={(event) => setValues((current) => ({ ...current, [variable]: event.target.value }))}
              autoFocus={index === 0}
              autoComplete="off"
              required
            />
          </label>
        ))}
        <p className={`muted ${styles.preview}`} aria-label="Prompt preview">
          {template.promptTemplate.replace(/\{([A-Za-z_][A-Za-z0-9_]{0,31})\}/g, (whole, name: string) => values[name]?.trim() || whole)}
        </p>
        {dispatch.error ? (
          <p className={`error ${styles.error}`} role="alert">
            {dispatch.error.message}
          </p>
        ) : null}
        <footer className={styles.footer}>
          <button type="submit" disabled={dispatch.isPending}>
            {dispatch.isPending ? 'Dispatching…' : 'Dispatch'}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
