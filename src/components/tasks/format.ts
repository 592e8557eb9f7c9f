// Display helpers of the tasks page: relative times, the deadline indicator, money and bytes.
import { LIMITS, utf8Bytes } from '@/lib/limits';
import { formatDateTime } from '@/lib/time-format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45s", "12m", "3h 5m", "2d 4h": a compact span for cards. */
export function formatSpan(milliseconds: number): string {
  const ms = Math.abs(milliseconds);
  if (ms < MINUTE) return `${Math.floor(ms / 1000)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`;
  if (ms < DAY) {
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return `${Math.floor(ms / HOUR)}h${minutes ? ` ${minutes}m` : ''}`;
  }
  const hours = Math.floor((ms % DAY) / HOUR);
  return `${Math.floor(ms / DAY)}d${hours ? ` ${hours}h` : ''}`;
}

export type DeadlineTone = 'overdue' | 'soon' | 'later' | 'met';

export interface DeadlineIndicator {
  tone: DeadlineTone;
  label: string;
}

/** Within this of its deadline an open task is flagged as due soon. */
const SOON = HOUR;

/** Overdue (red) only matters while the task is still open; ended tasks just show the date. */
export function deadlineIndicator(deadline: string | null, status: string, now: number): DeadlineIndicator | null {
  if (!deadline) return null;
  const due = Date.parse(deadline);
  const open = status === 'queued' || status === 'assigned' || status === 'running';
  if (!open) return { tone: 'met', label: `deadline ${formatDateTime(deadline)}` };
  if (due <= now) return { tone: 'overdue', label: `overdue ${formatSpan(now - due)}` };
  if (due - now <= SOON) return { tone: 'soon', label: `due in ${formatSpan(due - now)}` };
  return { tone: 'later', label: `due ${formatDateTime(deadline)}` };
}


/** Four decimals below a dollar so small model costs still show. */
export function formatUsd(amount: number): string {
  const digits = amount > 0 && amount < 1 ? 4 : 2;
  return `$${amount.toFixed(digits)}`;
}

export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** The prompt's size against the hub's limit, as the sheet shows it. */
export function promptSize(prompt: string): { bytes: number; limit: number; over: boolean } {
  const bytes = utf8Bytes(prompt);
  return { bytes, limit: LIMITS.promptBytes, over: bytes > LIMITS.promptBytes };
}
