// Small display helpers for the admin page.

/** A date and time in the viewer's locale, short. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
