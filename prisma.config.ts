import { defineConfig } from 'prisma/config';

// The URL only matters to Prisma CLI commands; the app opens its database through a driver
// adapter at run time (server/store/database.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/dev.db' },
});
