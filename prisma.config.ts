// Prisma CLI configuration. The hub itself does not use this file: it opens the database
// through the driver adapter (src/server/db/client.ts) and applies migrations with its own
// runner (src/server/db/migrate.ts), so that no network or schema-engine binary is needed.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/m3shd.db' },
});
