// Third-party API keys (admin:tokens): the list with today's usage against the daily cap, the
// per-minute limit, last use and revoke (after a confirm); the create form with a name, the two
// limits and a permission list (none = no access). The plain key is shown once.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useId, useState, type FormEvent } from 'react';
import { API_KEY_LIMITS } from '@/lib/api-keys';
import { PERMISSIONS, PRESETS, type Permission } from '@/lib/permissions';
import type { AppRouter } from '@/server/routers';
import { useTRPC } from '../trpc';
import { TimeStamp } from '../time/time-stamp';
import { ShownOnce, type ShownOnceSecret } from './shown-once';
import { CreateFormFooter } from './create-form-footer';
import styles from './admin.module.css';
import { ConfirmAction, RowError } from './confirm-action';

type ApiKeyView = inferRouterOutputs<AppRouter>['keys']['list'][number];
const COMMANDER = new Set<Permission>(PRESETS.commander);
/** Permissions beyond the commander preset: granting them needs the master token (as for agent tokens). */
const ADMIN_GRADE = PERMISSIONS.filter((permission) => !COMMANDER.has(permission));

export function ApiKeysPanel({ isMaster }: { isMaster: boolean }) {
  const trpc = useTRPC();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const keys = useQuery(trpc.keys.list.queryOptions({ includeRevoked }));
  const [secret, setSecret] = useState<ShownOnceSecret | null>(null);

  return (
    <section className={`card ${styles.panel}`} aria-labelledby="api-keys-title">
      <header className={styles.panelHeader}>
        <h2 id="api-keys-title">API keys {keys.data ? <span className="muted">({keys.data.length})</span> : null}</h2>
        <label className={styles.toggle}>
          <input type="checkbox" checked={includeRevoked} onChange={(event) => setIncludeRevoked(event.target.checked)} />
          Include revoked keys
        </label>
      </header>
      <CreateKeyForm isMaster={isMaster} onCreated={setSecret} />
      {secret ? <ShownOnce secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {keys.error ? (
        <p className={styles.error} role="alert">
          {keys.error.message}
        </p>
      ) : null}
      {keys.isPending ? <p className={styles.empty}>Loading API keys…</p> : null}
      {keys.data?.length === 0 ? <p className={styles.empty}>No API keys yet. Create one for each script or service that calls the hub.</p> : null}
      {keys.data && keys.data.length > 0 ? (
        <ul className={styles.list} aria-label="API keys">
          {keys.data.map((key) => (
            <KeyRow key={key.id} apiKey={key} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CreateKeyForm({ isMaster, onCreated }: { isMaster: boolean; onCreated: (secret: ShownOnceSecret) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formId = useId();
  const [name, setName] = useState('');
  const [perMinute, setPerMinute] = useState('60');
  const [dailyCap, setDailyCap] = useState('1000');
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (result) => {
        setName('');
        setPermissions([]);
        onCreated({ title: `API key ${result.view.name}`, value: result.key });
        void queryClient.invalidateQueries(trpc.keys.pathFilter());
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      name: name.trim(),
      permissions: PERMISSIONS.filter((permission) => permissions.includes(permission)),
      rateLimitPerMinute: Number(perMinute),
      dailyCap: Number(dailyCap),
    });
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Create API key" noValidate>
      <label className={`${styles.field} ${styles.wide}`}>
        <span>Name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} placeholder="siri shortcuts" autoComplete="off" required />
      </label>
      <label className={styles.field}>
        <span>Requests per minute</span>
        <input type="number" inputMode="numeric" min={1} max={API_KEY_LIMITS.maxPerMinute} value={perMinute} onChange={(event) => setPerMinute(event.target.value)} />
      </label>
      <label className={styles.field}>
        <span>Requests per day (UTC)</span>
        <input type="number" inputMode="numeric" min={1} max={API_KEY_LIMITS.maxDailyCap} value={dailyCap} onChange={(event) => setDailyCap(event.target.value)} />
      </label>
      <fieldset className={styles.fieldset} aria-describedby={`${formId}-note`}>
        <legend>Permissions ({permissions.length} chosen; none = no access)</legend>
        <div className={styles.permissionGrid}>
          {PERMISSIONS.map((permission) => (
            <label key={permission} className={styles.choice}>
              <input
                type="checkbox"
                checked={permissions.includes(permission)}
                onChange={(event) => setPermissions((current) => (event.target.checked ? [...current, permission] : current.filter((entry) => entry !== permission)))}
              />
              {permission}
            </label>
          ))}
        </div>
      </fieldset>
      <p id={`${formId}-note`} className={`${styles.hint} ${styles.wide}`}>
        Send the key as <code>Authorization: Bearer m3shd_key_…</code>. Over either limit the hub answers 429 with Retry-After.
        {` Admin-grade (${ADMIN_GRADE.join(', ')})${isMaster ? ' needs the master token.' : ' can be granted only in a master-token session.'}`}
      </p>
      <CreateFormFooter label="Create API key" pending={create.isPending} error={create.error} />
    </form>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKeyView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries(trpc.keys.pathFilter());
      },
    }),
  );
  const revoked = apiKey.revokedAt !== null;
  const atCap = apiKey.usageToday >= apiKey.dailyCap;

  return (
    <li className={styles.row} data-revoked={revoked} aria-label={`API key ${apiKey.name}`}>
      <div className={styles.rowMain}>
        <div className={styles.rowTitle}>
          <span>{apiKey.name}</span>
          {revoked ? (
            <span className={styles.badge} data-tone="red">
              revoked
            </span>
          ) : atCap ? (
            <span className={styles.badge} data-tone="amber">
              daily cap reached
            </span>
          ) : null}
        </div>
        <p className={styles.meta} data-testid="key-usage">
          {apiKey.usageToday.toLocaleString()} / {apiKey.dailyCap.toLocaleString()} requests today · {apiKey.rateLimitPerMinute.toLocaleString()} per minute ·{' '}
          {apiKey.usageTotal.toLocaleString()} in all
        </p>
        <p className={styles.meta} title={apiKey.permissions.join(', ')}>
          {apiKey.permissions.length === 0 ? 'no permissions (no access)' : `${apiKey.permissions.length} permissions: ${apiKey.permissions.join(', ')}`}
        </p>
        <p className={styles.meta}>
          {apiKey.lastUsedAt ? (
            <>
              last used <TimeStamp value={apiKey.lastUsedAt} mode="ago" />
            </>
          ) : (
            'never used'
          )}{' '}
          · created <TimeStamp value={apiKey.createdAt} /> by {apiKey.createdBy}
          {apiKey.revokedAt ? (
            <>
              {' '}
              · revoked <TimeStamp value={apiKey.revokedAt} />
            </>
          ) : null}
        </p>
      </div>
      {!revoked && !confirming ? (
        <div className={styles.rowActions}>
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Revoke
          </button>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmAction
          label={`Confirm revoking the API key ${apiKey.name}`}
          question="Revoke this key? Its next request is refused."
          action="Revoke key"
          busyAction="Revoking…"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate({ keyId: apiKey.id })}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      <RowError error={revoke.error} />
    </li>
  );
}
