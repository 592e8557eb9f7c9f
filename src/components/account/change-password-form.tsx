// Changing one's own password (account.changePassword). The hub's errors name their field
// (currentPassword, newPassword) and are shown under that field; other sessions of the user end.
'use client';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { LIMITS } from '@/lib/limits';
import { useTRPC } from '../trpc';
import styles from './account.module.css';

type Field = 'currentPassword' | 'newPassword' | 'confirmPassword';

/** "newPassword: must be at least 10 characters" → "must be at least 10 characters". */
function withoutFieldPrefix(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const ids = useId();
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', confirmPassword: '' });
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => setValues({ currentPassword: '', newPassword: '', confirmPassword: '' }),
    }),
  );

  // The hub's error formatter adds `field` to the error data (see src/server/trpc.ts).
  const serverField = (change.error?.data as { field?: string } | null | undefined)?.field;
  const fieldErrors: Partial<Record<Field, string>> = {};
  if (change.error && (serverField === 'currentPassword' || serverField === 'newPassword')) {
    fieldErrors[serverField] = withoutFieldPrefix(change.error.message, serverField);
  }
  if (mismatch) fieldErrors.confirmPassword = 'does not match the new password';
  const formError = change.error && !fieldErrors.currentPassword && !fieldErrors.newPassword ? change.error.message : null;

  function update(field: Field) {
    return (event: { target: { value: string } }) => {
      setValues((current) => ({ ...current, [field]: event.target.value }));
      if (field !== 'currentPassword') setMismatch(false);
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (values.newPassword !== values.confirmPassword) {
      setMismatch(true);
      return;
    }
    change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  }

  function input(field: Field, label: string, autoComplete: string, hint?: string) {
    const inputId = `${ids}-${field}`;
    const noteId = `${inputId}-note`;
    const error = fieldErrors[field];
    return (
      <div className={styles.field}>
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          type="password"
          name={field}
          value={values[field]}
          onChange={update(field)}
          autoComplete={autoComplete}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error || hint ? noteId : undefined}
        />
        {error ? (
          <span id={noteId} className={styles.fieldError} role="alert">
            {error}
          </span>
        ) : hint ? (
          <span id={noteId} className="muted">
            {hint}
          </span>
        ) : null}
      </div>
    );
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Change password" noValidate>
      {input('currentPassword', 'Current password', 'current-password')}
      {input('newPassword', 'New password', 'new-password', `at least ${LIMITS.passwordMinLength} characters`)}
      {input('confirmPassword', 'Repeat the new password', 'new-password')}
      {formError ? (
        <p className={styles.notice} data-tone="error" role="alert">
          {formError}
        </p>
      ) : null}
      {change.isSuccess ? (
        <p className={styles.notice} data-tone="ok" role="status">
          Password changed. Your other sessions have been signed out.
        </p>
      ) : null}
      <div className={styles.actions}>
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
