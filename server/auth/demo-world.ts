import type { Db } from '../db/client';
import { DEMO_WORLD_SETTING } from './demo-users';

/** Whether this database holds the demo world, which turns on the login page's demo buttons. */
export async function isDemoWorld(db: Db): Promise<boolean> {
  const row = await db.setting.findUnique({
    where: { key: DEMO_WORLD_SETTING },
    select: { key: true },
  });

  return row !== null;
}
