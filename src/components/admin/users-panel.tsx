// Dashboard users (admin:users): the list with role, disable/enable and password reset per
// user, and the create form. Generated passwords are shown once.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import { USER_ROLES, type UserRole } from '@/lib/permissions';
import type { AppRouter } from '@/server/routers';
import { useTRPC } from '../trpc';
import { TimeStamp } from '../time/time-stamp';
import { ShownOnce, type ShownOnceSecret } from './shown-once';
import styles from './admin.module.css';
import { ConfirmAction, RowError } from './confirm-action';

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

/** A change that waits for the admin's confirmation before it is sent. */
type PendingChange = { kind: 'role'; role: UserRole } | { kind: 'disable' } | { kind: 'reset' };

function confirmText(user: UserView, change: PendingChange): { question: string; action: string } {
  switch (change.kind) {
    case 'role':
      return {
        question: `Change ${user.username}'s role from ${user.role} to ${change.role}? Their permissions change on their next request.`,
        action: 'Change role',
      };
    case 'disable':
      return { question: `Disable ${user.username}? Their sessions end at once and they cannot sign in until enabled again.`, action: 'Disable user' };
    case 'reset':
      return { question: `Reset ${user.username}'s password? Their sessions end and the new password is shown once.`, action: 'Reset password' };
  }
}

function UserRow({ user, isMe, onSecret }: { user: UserView; isMe: boolean; onSecret: (secret: ShownOnceSecret) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<PendingChange | null>(null);
  const done = () => {
    setPending(null);
    void queryClient.invalidateQueries(trpc.users.pathFilter());
  };
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: done }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: done }));
  const resetPassword = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: (result) => {
        setPending(null);
        onSecret({ title: `New password for ${user.username}`, value: result.password });
      },
    }),
  );
  const error = setRole.error ?? setDisabled.error ?? resetPassword.error;
  const busy = setRole.isPending || setDisabled.isPending || resetPassword.isPending;

  function confirm(change: PendingChange) {
    if (change.kind === 'role') setRole.mutate({ userId: user.id, role: change.role });
    else if (change.kind === 'disable') setDisabled.mutate({ userId: user.id, disabled: true });
    else resetPassword.mutate({ userId: user.id });
  }

  const prompt = pending ? confirmText(user, pending) : null;

  return (
    <li className={styles.row} data-disabled={user.disabled} aria-label={`User ${user.username}`}>
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
        <p className={styles.meta}>
          created <TimeStamp value={user.createdAt} />
        </p>
        {isMe ? <p className={styles.meta}>Your own role and account can be changed only by another admin.</p> : null}
      </div>
      <div className={`${styles.rowActions} ${styles.userActions}`}>
        <select
          aria-label={`Role of ${user.username}`}
          value={pending?.kind === 'role' ? pending.role : user.role}
          disabled={busy || isMe}
          title={isMe ? 'You cannot change your own role' : undefined}
          onChange={(event) => {
            const role = event.target.value as UserRole;
            setPending(role === user.role ? null : { kind: 'role', role });
          }}
        >
          {USER_ROLES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        {user.disabled ? (
          <button type="button" className="secondary" disabled={busy} onClick={() => setDisabled.mutate({ userId: user.id, disabled: false })}>
            Enable
          </button>
        ) : isMe ? null : (
          <button type="button" className="secondary" disabled={busy} onClick={() => setPending({ kind: 'disable' })}>
            Disable
          </button>
        )}
        <button type="button" className="secondary" disabled={busy} onClick={() => setPending({ kind: 'reset' })}>
          Reset password
        </button>
      </div>
      {pending && prompt ? (
        <ConfirmAction
          label={`Confirm: ${prompt.action} for ${user.username}`}
          question={prompt.question}
          action={prompt.action}
          busy={busy}
          onConfirm={() => confirm(pending)}
          onCancel={() => setPending(null)}
        />
      ) : null}
      <RowError error={error} />
    </li>
  );
}
