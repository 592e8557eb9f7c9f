// Tokens used per agent since 00:00 UTC of the hub's clock (the daily budget's day).
import type { Database } from '../db/client';

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function tokensUsedTodayByAgent(db: Database, now: Date, agentIds: string[]): Promise<Map<string, number>> {
  if (agentIds.length === 0) return new Map();
  const rows = await db.costLog.groupBy({
    by: ['agentId'],
    where: { agentId: { in: agentIds }, createdAt: { gte: startOfUtcDay(now) } },
    _sum: { inputTokens: true, outputTokens: true },
  });
  return new Map(rows.map((row) => [row.agentId, (row._sum.inputTokens ?? 0) + (row._sum.outputTokens ?? 0)]));
}
