// The sign-in form: next-auth's credentials provider, so the browser gets the session cookie.
'use client';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import styles from './login-form.module.css';

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'Wrong username or password.',
  RateLimited: 'Too many failed attempts. Wait a few minutes and try again.',
};

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      username: String(form.get('username') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (result?.ok && !result.error) {
      router.replace('/');
      router.refresh();
      return;
    }
    setError(MESSAGES[result?.error ?? ''] ?? 'Sign-in failed.');
  }

  return (
    <main className={styles.page}>
      <form className={`card ${styles.form}`} onSubmit={submit} aria-label="Sign in">
        <h1 className={`brand ${styles.title}`}>M3SHD</h1>
        <p className="muted">Sign in to command your mesh.</p>
        <label className={styles.field}>
          <span>Username</span>
          <input name="username" autoComplete="username" autoCapitalize="none" required />
        </label>
        <label className={styles.field}>
          <span>Password</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
