// Inbound webhooks (admin:webhooks): each webhook with its URLs, action, event filter and recent
// deliveries with their outcome; delete after a confirm; the create form (a chat message, or a
// template's task with variables taken from the payload). The secret is shown once.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import type { AppRouter } from '@/server/routers';
import { useTRPC } from '../trpc';
import { TimeStamp } from '../time/time-stamp';
import { ShownOnce, type ShownOnceSecret } from './shown-once';
import { CreateFormFooter } from './create-form-footer';
import styles from './admin.module.css';
import { ConfirmAction, RowError } from './confirm-action';

type WebhookView = inferRouterOutputs<AppRouter>['webhooks']['list'][number];
const OUTCOME_TONE = { accepted: 'emerald', filtered: 'purple', rejected: 'red', failed: 'red' } as const;

export function WebhooksPanel() {
  const trpc = useTRPC();
  const webhooks = useQuery(trpc.webhooks.list.queryOptions());
  const [secret, setSecret] = useState<ShownOnceSecret | null>(null);

  return (
    <section className={`card ${styles.panel}`} aria-labelledby="webhooks-title">
      <header className={styles.panelHeader}>
        <h2 id="webhooks-title">Inbound webhooks {webhooks.data ? <span className="muted">({webhooks.data.length})</span> : null}</h2>
      </header>
      <CreateWebhookForm onCreated={setSecret} />
      {secret ? <ShownOnce secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {webhooks.error ? (
        <p className={styles.error} role="alert">
          {webhooks.error.message}
        </p>
      ) : null}
      {webhooks.data?.length === 0 ? <p className={styles.empty}>No webhooks yet. Create one for GitHub, Uptime Kuma or any service that can POST JSON.</p> : null}
      {webhooks.data && webhooks.data.length > 0 ? (
        <ul className={styles.list} aria-label="Webhooks">
          {webhooks.data.map((webhook) => (
            <WebhookRow key={webhook.id} webhook={webhook} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated: (secret: ShownOnceSecret) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const templates = useQuery(trpc.templates.list.queryOptions());
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'chat' | 'task'>('chat');
  const [channel, setChannel] = useState('general');
  const [templateId, setTemplateId] = useState('');
  const [paths, setPaths] = useState<Record<string, string>>({});
  const [eventFilter, setEventFilter] = useState('*');
  const template = templates.data?.find((entry) => entry.id === templateId) ?? templates.data?.[0];
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (result) => {
        setName('');
        onCreated({ title: `Secret of webhook ${result.view.name} (send it as X-Webhook-Secret; GitHub: the webhook's secret)`, value: result.secret });
        void queryClient.invalidateQueries(trpc.webhooks.pathFilter());
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const variables = Object.fromEntries((template?.variables ?? []).map((variable) => [variable, paths[variable]?.trim() || 'message']));
    const action = kind === 'chat' ? { kind, channel: channel.trim() } : { kind, templateId: template?.id ?? '', variables };
    create.mutate({ name: name.trim(), action, eventFilter: eventFilter.trim() || '*' });
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Create webhook" noValidate>
      <label className={styles.field}>
        <span>Name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} placeholder="uptime kuma" autoComplete="off" required />
      </label>
      <label className={styles.field}>
        <span>Events (* or a list)</span>
        <input value={eventFilter} onChange={(event) => setEventFilter(event.target.value)} placeholder="push, pull_request, down" autoComplete="off" />
      </label>
      <fieldset className={styles.fieldset}>
        <legend>On each delivery</legend>
        <div className={styles.choices}>
          <label className={styles.choice}>
            <input type="radio" name="webhook-action" checked={kind === 'chat'} onChange={() => setKind('chat')} />
            Post a chat message
          </label>
          <label className={styles.choice}>
            <input type="radio" name="webhook-action" checked={kind === 'task'} onChange={() => setKind('task')} />
            Create a task from a template
          </label>
        </div>
      </fieldset>
      {kind === 'chat' ? (
        <label className={`${styles.field} ${styles.wide}`}>
          <span>Channel</span>
          <input value={channel} onChange={(event) => setChannel(event.target.value)} autoComplete="off" autoCapitalize="none" spellCheck={false} />
        </label>
      ) : (
        <>
          <label className={`${styles.field} ${styles.wide}`}>
            <span>Template</span>
            <select value={template?.id ?? ''} onChange={(event) => setTemplateId(event.target.value)}>
              {(templates.data ?? []).map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name}
                </option>
              ))}
            </select>
          </label>
          {(template?.variables ?? []).map((variable) => (
            <label key={variable} className={styles.field}>
              <span>{`{${variable}}`} from payload path</span>
              <input
                value={paths[variable] ?? ''}
                onChange={(event) => setPaths((current) => ({ ...current, [variable]: event.target.value }))}
                placeholder="message (the readable summary)"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
              />
            </label>
          ))}
        </>
      )}
      <CreateFormFooter label="Create webhook" pending={create.isPending} error={create.error} />
    </form>
  );
}

function WebhookRow({ webhook }: { webhook: WebhookView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [open, setOpen] = useState(false);
  const deliveries = useQuery({ ...trpc.webhooks.deliveries.queryOptions({ webhookId: webhook.id }), enabled: open });
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries(trpc.webhooks.pathFilter()) }));
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const action = webhook.action.kind === 'chat' ? `posts to #${webhook.action.channel}` : 'creates a task from a template';

  return (
    <li className={styles.row} aria-label={`Webhook ${webhook.name}`}>
      <div className={styles.rowMain}>
        <div className={styles.rowTitle}>
          <span>{webhook.name}</span>
          {webhook.lastDelivery ? (
            <span className={styles.badge} data-tone={OUTCOME_TONE[webhook.lastDelivery.outcome]}>
              last: {webhook.lastDelivery.outcome}
            </span>
          ) : null}
        </div>
        <p className={styles.meta}>
          {action} · events {webhook.eventFilter} · created <TimeStamp value={webhook.createdAt} /> by {webhook.createdBy}
        </p>
        <p className={styles.meta}>
          <code style={{ overflowWrap: "anywhere" }}>{origin + webhook.paths.generic}</code>
        </p>
        <p className={styles.meta}>
          GitHub: <code style={{ overflowWrap: "anywhere" }}>{origin + webhook.paths.github}</code>
        </p>
      </div>
      <div className={styles.rowActions}>
        <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide deliveries' : 'Deliveries'}
        </button>
        {!confirming ? (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Delete
          </button>
        ) : null}
      </div>
      {confirming ? (
        <ConfirmAction
          label={`Confirm deleting the webhook ${webhook.name}`}
          question="Delete this webhook? Deliveries to it are refused (404) from now on."
          action="Delete webhook"
          busyAction="Deleting…"
          busy={remove.isPending}
          onConfirm={() => remove.mutate({ webhookId: webhook.id })}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      <RowError error={remove.error} />
      {open ? (
        <div className={styles.rowFull}>
          {deliveries.data?.length === 0 ? <p className={styles.empty}>No deliveries yet.</p> : null}
          {deliveries.data && deliveries.data.length > 0 ? (
            <ul className={styles.list} aria-label={`Deliveries to ${webhook.name}`}>
              {deliveries.data.map((delivery) => (
                <li key={delivery.id} className={styles.meta}>
                  <span className={styles.badge} data-tone={OUTCOME_TONE[delivery.outcome]}>
                    {delivery.outcome} {delivery.status}
                  </span>{' '}
                  <TimeStamp value={delivery.receivedAt} mode="ago" /> · {delivery.source.replace('_', ' ')}
                  {delivery.event ? ` ${delivery.event}` : ''} · {delivery.detail}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {remove.error ? (
        <p className={`${styles.error} ${styles.rowFull}`} role="alert">
          {remove.error.message}
        </p>
      ) : null}
    </li>
  );
}
