import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema as code and committed; they run at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
});
