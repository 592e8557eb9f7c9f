// The sign-in form: next-auth's credentials providers, so the browser gets the session cookie.
// By username and password, or (behind "Use a token") by the master token, for the master
// session that Admin needs to create admin-grade tokens. Afterwards it returns to the page the
// visitor asked for (?next=, same-origin paths only: see src/lib/return-path.ts).
'use client';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { safeReturnPath } from '@/lib/return-path';
import styles from './login-form.module.css';

type Mode = 'password' | 'token';

const MESSAGES: Record<Mode, Record<string, string>> = {
  password: { CredentialsSignin: 'Wrong username or password.' },
  token: { CredentialsSignin: 'That is not the master token.' },
};
const RATE_LIMITED = 'Too many failed attempts. Wait a few minutes and try again.';

/** The provider ids of src/server/auth/next-auth-options.ts. */
const PROVIDERS: Record<Mode, string> = { password: 'credentials', token: 'master-token' };

export function LoginForm() {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>('password');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function switchTo(next: Mode) {
    setMode(next);
    setError(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields =
      mode === 'password'
        ? { username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') }
        : { token: String(form.get('token') ?? '').trim() };
    setPending(true);
    setError(null);
    const result = await signIn(PROVIDERS[mode], { ...fields, redirect: false });
    setPending(false);
    if (result?.ok && !result.error) {
      router.replace(safeReturnPath(new URLSearchParams(window.location.search).get('next')));
      router.refresh();
      return;
    }
    setError(result?.error === 'RateLimited' ? RATE_LIMITED : (MESSAGES[mode][result?.error ?? ''] ?? 'Sign-in failed.'));
  }

  return (
    <main className={styles.page}>
      <form className={`card ${styles.form}`} onSubmit={submit} aria-label="Sign in">
        <h1 className={`brand ${styles.title}`}>M3SHD</h1>
        {mode === 'password' ? (
          <>
            <p className="muted">Sign in to command your mesh.</p>
            <label className={styles.field}>
              <span>Username</span>
              <input name="username" autoComplete="username" autoCapitalize="none" required />
            </label>
            <label className={styles.field}>
              <span>Password</span>
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        ) : (
          <>
            <p className="muted">Sign in with the hub&apos;s master token (printed once at first start) for a master session.</p>
            <label className={styles.field}>
              <span>Master token</span>
              <input name="token" type="password" autoComplete="off" autoCapitalize="none" spellCheck={false} required />
            </label>
          </>
        )}
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" className={styles.switch} onClick={() => switchTo(mode === 'password' ? 'token' : 'password')}>
          {mode === 'password' ? 'Use a token instead' : 'Use a username and password'}
        </button>
      </form>
    </main>
  );
}
