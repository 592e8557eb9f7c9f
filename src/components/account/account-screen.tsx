// The account page: who you are, the permissions you hold (of the 17), changing your own
// password (signed-in users; token sessions have none), and signing out.
'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PERMISSIONS } from '@/lib/permissions';
import { can, useMe } from '../shell/app-shell';
import { ChangePasswordForm } from './change-password-form';
import styles from './account.module.css';

const KIND_LABELS: Record<string, string> = { user: 'dashboard user', master: 'master token', agent: 'agent token' };

export function AccountScreen() {
  const me = useMe();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    await fetch('/api/logout', { method: 'POST' });
    queryClient.clear();
    router.replace('/login');
  }

  return (
    <div className={styles.page}>
      <h1 className={styles.title}>Account</h1>
      <section className={`card ${styles.section}`} aria-labelledby="account-who">
        <h2 id="account-who">Who you are</h2>
        <dl className={styles.identity}>
          <dt>Name</dt>
          <dd data-testid="account-name">{me.name}</dd>
          <dt>Signed in with</dt>
          <dd>{KIND_LABELS[me.kind] ?? me.kind}</dd>
          <dt>Role</dt>
          <dd>{me.role ?? 'none (token permissions)'}</dd>
        </dl>
      </section>
      <section className={`card ${styles.section}`} aria-labelledby="account-permissions">
        <h2 id="account-permissions">
          Permissions <span className="muted">({me.permissions.length} of {PERMISSIONS.length})</span>
        </h2>
        <ul className={styles.chips} aria-label="Permissions">
          {PERMISSIONS.map((permission) => (
            <li key={permission} className={styles.chip} data-held={can(me, permission)} aria-label={`${permission}: ${can(me, permission) ? 'held' : 'not held'}`}>
              {permission}
            </li>
          ))}
        </ul>
      </section>
      <section className={`card ${styles.section}`} aria-labelledby="account-password">
        <h2 id="account-password">Password</h2>
        {me.kind === 'user' ? (
          <ChangePasswordForm />
        ) : (
          <p className="muted">This session is signed in with a token, which has no password to change. The master token is rotated on the hub machine: npm run admin -- rotate-master-token.</p>
        )}
      </section>
      <section className={`card ${styles.section}`} aria-labelledby="account-session">
        <h2 id="account-session">Session</h2>
        <p className="muted">Signing out ends this session on the hub; other devices stay signed in.</p>
        <div className={styles.actions}>
          <button type="button" className="secondary" onClick={signOut} disabled={signingOut}>
            {signingOut ? 'Signing out…' : 'Sign out of this device'}
          </button>
        </div>
      </section>
    </div>
  );
}
