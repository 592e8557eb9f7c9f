// The agent-token lookup every bearer-authenticated request makes, as one prepared statement
// (it is on the hot path: through Prisma it cost more than the task engine's own work).
import { sqlTime, type SqliteConnection } from './connection';

export interface StoredAgentToken {
  id: string;
  tokenHash: string;
  agentId: string;
  /** JSON array of permission names */
  permissions: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export class SqliteAgentTokenLookup {
  constructor(private readonly connection: SqliteConnection) {}

  byHash(tokenHash: string): Promise<StoredAgentToken | null> {
    return this.connection.read(
      () =>
        (this.connection
          .statement(
            `SELECT id, token_hash AS tokenHash, agent_id AS agentId, permissions, revoked_at AS revokedAt, last_used_at AS lastUsedAt
             FROM agent_tokens WHERE token_hash = ?`,
          )
          .get(tokenHash) as StoredAgentToken | undefined) ?? null,
    );
  }

  touch(tokenId: string, at: Date): Promise<void> {
    return this.connection.transaction(() => {
      this.connection.statement('UPDATE agent_tokens SET last_used_at = ? WHERE id = ?').run(sqlTime(at), tokenId);
    });
  }
}
