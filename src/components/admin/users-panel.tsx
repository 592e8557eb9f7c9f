// Dashboard users (admin:users): the list with role, disable/enable and password reset per
// user, and the create form. Generated passwords are shown once.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import { USER_ROLES, type UserRole } from '@/lib/permissions';
import type { AppRouter } from '@/server/routers';
import { useTRPC } from '../trpc';
import { formatDateTime } from './format';
import { ShownOnce, type ShownOnceSecret } from './shown-once';
import styles from './admin.module.css';

type UserView = inferRouterOutputs<AppRouter>['users']['list'][number];

const ROLE_TONES: Record<UserRole, string> = { admin: 'purple', user: 'emerald', viewer: 'muted' };

export function UsersPanel({ myName }: { myName: string }) {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const [secret, setSecret] = useState<ShownOnceSecret | null>(null);

  return (
    <section className={`card ${styles.panel}`} aria-labelledby="users-title">
      <header className={styles.panelHeader}>
        <h2 id="users-title">Users {users.data ? <span className="muted">({users.data.length})</span> : null}</h2>
      </header>
      <CreateUserForm onCreated={setSecret} />
      {secret ? <ShownOnce secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {users.error ? (
        <p className={styles.error} role="alert">
          {users.error.message}
        </p>
      ) : null}
      {users.isPending ? <p className={styles.empty}>Loading users…</p> : null}
      {users.data ? (
        <ul className={styles.list} aria-label="Users">
          {users.data.map((user) => (
            <UserRow key={user.id} user={user} isMe={user.username === myName} onSecret={setSecret} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (secret: ShownOnceSecret) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<UserRole>('user');
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (result) => {
        setUsername('');
        onCreated({ title: `Password for ${result.user.username}`, value: result.password });
        void queryClient.invalidateQueries(trpc.users.pathFilter());
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ username: username.trim(), role });
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Create user" noValidate>
      <label className={styles.field}>
        <span>Username</span>
        <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="off" autoCapitalize="none" spellCheck={false} required />
      </label>
      <label className={styles.field}>
        <span>Role</span>
        <select value={role} onChange={(event) => setRole(event.target.value as UserRole)}>
          {USER_ROLES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create user'}
      </button>
      <p className={`${styles.hint} ${styles.wide}`}>The hub generates the password and shows it once.</p>
      {create.error ? (
        <p className={styles.error} role="alert">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}

function UserRow({ user, isMe, onSecret }: { user: UserView; isMe: boolean; onSecret: (secret: ShownOnceSecret) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmReset, setConfirmReset] = useState(false);
  const refresh = () => void queryClient.invalidateQueries(trpc.users.pathFilter());
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: refresh }));
  const resetPassword = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: (result) => {
        setConfirmReset(false);
        onSecret({ title: `New password for ${user.username}`, value: result.password });
      },
    }),
  );
  const error = setRole.error ?? setDisabled.error ?? resetPassword.error;
  const busy = setRole.isPending || setDisabled.isPending || resetPassword.isPending;

  return (
    <li className={styles.row} data-muted={user.disabled} aria-label={`User ${user.username}`}>
      <div className={styles.rowMain}>
        <div className={styles.rowTitle}>
          <span>{user.username}</span>
          <span className={styles.badge} data-tone={ROLE_TONES[user.role]}>
            {user.role}
          </span>
          {user.disabled ? (
            <span className={styles.badge} data-tone="red">
              disabled
            </span>
          ) : null}
          {isMe ? <span className={styles.badge}>you</span> : null}
        </div>
        <p className={styles.meta}>created {formatDateTime(user.createdAt)}</p>
      </div>
      <div className={`${styles.rowActions} ${styles.userActions}`}>
        <select
          aria-label={`Role of ${user.username}`}
          value={user.role}
          disabled={busy}
          onChange={(event) => setRole.mutate({ userId: user.id, role: event.target.value as UserRole })}
        >
          {USER_ROLES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <button type="button" className="secondary" disabled={busy} onClick={() => setDisabled.mutate({ userId: user.id, disabled: !user.disabled })}>
          {user.disabled ? 'Enable' : 'Disable'}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => setConfirmReset(true)}>
          Reset password
        </button>
      </div>
      {confirmReset ? (
        <div className={`${styles.confirm} ${styles.rowFull}`} role="group" aria-label={`Confirm password reset for ${user.username}`}>
          <p>Reset {user.username}&apos;s password? Their sessions end and the new password is shown once.</p>
          <button type="button" className={styles.danger} disabled={busy} onClick={() => resetPassword.mutate({ userId: user.id })}>
            Reset
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmReset(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <p className={`${styles.error} ${styles.rowFull}`} role="alert">
          {error.message}
        </p>
      ) : null}
    </li>
  );
}
