import type { TestProject } from 'vitest/node';
import { createMigratedDatabase, dropDatabase, startTestServer } from './test-database';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    testDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const url = await createMigratedDatabase(server.adminUrl, 'ct_test_run');
  project.provide('adminDatabaseUrl', server.adminUrl);
  project.provide('testDatabaseUrl', url);

  return async () => {
    await dropDatabase(server.adminUrl, url).catch(() => undefined);
    await server.stop();
  };
}
