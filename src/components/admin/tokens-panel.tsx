// Agent tokens (admin:tokens): the list with revoke (after a confirm), and the create form with
// a preset or an explicit permission list. The plain token is shown once. Admin-grade tokens
// need a master-token session: the hub says so, and its error is shown as is.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useId, useState, type FormEvent } from 'react';
import { PERMISSIONS, PRESET_NAMES, PRESETS, type Permission, type PresetName } from '@/lib/permissions';
import type { AppRouter } from '@/server/routers';
import { useTRPC } from '../trpc';
import { TimeStamp } from '../time/time-stamp';
import { ShownOnce, type ShownOnceSecret } from './shown-once';
import { CreateFormFooter } from './create-form-footer';
import styles from './admin.module.css';
import { ConfirmAction, RowError } from './confirm-action';

type TokenView = inferRouterOutputs<AppRouter>['tokens']['list'][number];
type AccessMode = 'preset' | 'permissions';

export function TokensPanel({ isMaster }: { isMaster: boolean }) {
  const trpc = useTRPC();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const tokens = useQuery(trpc.tokens.list.queryOptions({ includeRevoked }));
  const [secret, setSecret] = useState<ShownOnceSecret | null>(null);

  return (
    <section className={`card ${styles.panel}`} aria-labelledby="tokens-title">
      <header className={styles.panelHeader}>
        <h2 id="tokens-title">Agent tokens {tokens.data ? <span className="muted">({tokens.data.length})</span> : null}</h2>
        <label className={styles.toggle}>
          <input type="checkbox" checked={includeRevoked} onChange={(event) => setIncludeRevoked(event.target.checked)} />
          Show revoked
        </label>
      </header>
      <CreateTokenForm isMaster={isMaster} onCreated={setSecret} />
      {secret ? <ShownOnce secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {tokens.error ? (
        <p className={styles.error} role="alert">
          {tokens.error.message}
        </p>
      ) : null}
      {tokens.isPending ? <p className={styles.empty}>Loading tokens…</p> : null}
      {tokens.data?.length === 0 ? <p className={styles.empty}>No agent tokens yet. Create one for each worker.</p> : null}
      {tokens.data && tokens.data.length > 0 ? (
        <ul className={styles.list} aria-label="Agent tokens">
          {tokens.data.map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CreateTokenForm({ isMaster, onCreated }: { isMaster: boolean; onCreated: (secret: ShownOnceSecret) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [agentId, setAgentId] = useState('');
  const [label, setLabel] = useState('');
  const [mode, setMode] = useState<AccessMode>('preset');
  const [preset, setPreset] = useState<PresetName>('worker');
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const formId = useId();
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (result) => {
        setAgentId('');
        setLabel('');
        onCreated({ title: `Token for agent ${result.view.agentId} (${result.view.preset})`, value: result.token });
        void queryClient.invalidateQueries(trpc.tokens.pathFilter());
      },
    }),
  );

  function togglePermission(permission: Permission, checked: boolean) {
    setPermissions((current) => (checked ? [...current, permission] : current.filter((entry) => entry !== permission)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const access = mode === 'preset' ? { preset } : { permissions: PERMISSIONS.filter((permission) => permissions.includes(permission)) };
    create.mutate({ agentId: agentId.trim(), label: label.trim() || undefined, ...access });
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Create agent token" noValidate>
      <label className={styles.field}>
        <span>Agent id</span>
        <input value={agentId} onChange={(event) => setAgentId(event.target.value)} placeholder="rex" autoComplete="off" autoCapitalize="none" spellCheck={false} required />
      </label>
      <label className={styles.field}>
        <span>Label (optional)</span>
        <input value={label} onChange={(event) => setLabel(event.target.value)} placeholder="office mac mini" autoComplete="off" />
      </label>
      <fieldset className={styles.fieldset}>
        <legend>Access</legend>
        <div className={styles.choices}>
          <label className={styles.choice}>
            <input type="radio" name="token-access" checked={mode === 'preset'} onChange={() => setMode('preset')} />
            Use a preset
          </label>
          <label className={styles.choice}>
            <input type="radio" name="token-access" checked={mode === 'permissions'} onChange={() => setMode('permissions')} />
            Choose permissions
          </label>
        </div>
      </fieldset>
      {mode === 'preset' ? (
        <div className={`${styles.field} ${styles.wide}`}>
          <label htmlFor={`${formId}-preset`}>Preset</label>
          <select id={`${formId}-preset`} value={preset} onChange={(event) => setPreset(event.target.value as PresetName)} aria-describedby={`${formId}-preset-note`}>
            {PRESET_NAMES.map((name) => (
              <option key={name} value={name}>
                {name} ({PRESETS[name].length} permissions)
              </option>
            ))}
          </select>
          <span id={`${formId}-preset-note`} className={styles.hint}>
            {PRESETS[preset].join(', ')}
          </span>
        </div>
      ) : (
        <fieldset className={styles.fieldset}>
          <legend>Permissions ({permissions.length} chosen; none = no access)</legend>
          <div className={styles.permissionGrid}>
            {PERMISSIONS.map((permission) => (
              <label key={permission} className={styles.choice}>
                <input type="checkbox" checked={permissions.includes(permission)} onChange={(event) => togglePermission(permission, event.target.checked)} />
                {permission}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {!isMaster ? (
        <p className={`${styles.hint} ${styles.wide}`}>
          Admin-grade tokens (the admin preset, or permissions beyond the commander preset) can be created only in a master-token session: sign out, then
          choose &ldquo;Use a token instead&rdquo; on the sign-in page and enter the master token.
        </p>
      ) : null}
      <CreateFormFooter label="Create token" pending={create.isPending} error={create.error} />
    </form>
  );
}

function TokenRow({ token }: { token: TokenView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries(trpc.tokens.pathFilter());
      },
    }),
  );
  const revoked = token.revokedAt !== null;

  return (
    <li className={styles.row} data-revoked={revoked} aria-label={`Token for ${token.agentId}`}>
      <div className={styles.rowMain}>
        <div className={styles.rowTitle}>
          <span>{token.agentId}</span>
          <span className={styles.badge} data-tone={token.preset === 'admin' ? 'amber' : 'purple'}>
            {token.preset}
          </span>
          {revoked ? (
            <span className={styles.badge} data-tone="red">
              revoked
            </span>
          ) : null}
          {token.label ? <span className="muted">{token.label}</span> : null}
        </div>
        <p className={styles.meta} title={token.permissions.join(', ')}>
          {token.permissions.length} permissions · created <TimeStamp value={token.createdAt} /> by {token.createdBy}
        </p>
        <p className={styles.meta}>
          {token.lastUsedAt ? (
            <>
              last used <TimeStamp value={token.lastUsedAt} mode="ago" />
            </>
          ) : (
            'never used'
          )}
          {token.revokedAt ? (
            <>
              {' '}
              · revoked <TimeStamp value={token.revokedAt} />
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
          label={`Confirm revoking the token for ${token.agentId}`}
          question="Revoke this token? A worker using it is refused from its next request."
          action="Revoke token"
          busyAction="Revoking…"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate({ tokenId: token.id })}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      <RowError error={revoke.error} />
    </li>
  );
}
