// Small display formatters shared by the dashboard's tiles and cards.

const usd = (maximumFractionDigits: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits });

/** Cents for ordinary amounts, four decimals below a dollar so small model costs still show. */
export function formatUsd(amount: number): string {
  return usd(amount > 0 && amount < 1 ? 4 : 2).format(amount);
}

/** "3d 4h", "2h 5m", "42s": enough precision for an uptime line. */
export function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}
