/**
 * Global setup of the `postgres` test project (vite.config.ts): one real Postgres cluster for
 * the whole run, in which every test server gets a database of its own (test/helpers/storage.ts).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's admin URL; unset in the `sqlite` project. */
    postgresAdmin: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgres();
  project.provide('postgresAdmin', cluster.admin);
  return () => cluster.stop();
}
