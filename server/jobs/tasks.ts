import type { TaskList } from 'graphile-worker';

// Every job the product runs, by name. Each task calls one domain service; tasks are idempotent
// because graphile-worker delivers at least once.
export const taskList: TaskList = {};
