import { z } from 'zod';
import { Role, UserLevel } from '../../db/generated/enums';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid e-mail address' }));
const name = z.string().trim().min(1, 'Enter a name').max(120);
const siteIds = z
  .array(z.uuid())
  .max(500)
  .transform((ids) => [...new Set(ids)]);

export const createUserInput = z.object({
  name,
  email,
  role: z.enum(Role),
  level: z.enum(UserLevel).default('MEMBER'),
  teamId: z.uuid().nullable().default(null),
  allSites: z.boolean().default(false),
  siteIds: siteIds.default([]),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const updateUserInput = z.object({
  id: z.uuid(),
  name: name.optional(),
  role: z.enum(Role).optional(),
  level: z.enum(UserLevel).optional(),
  teamId: z.uuid().nullable().optional(),
  allSites: z.boolean().optional(),
  siteIds: siteIds.optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const setUserActiveInput = z.object({ id: z.uuid(), active: z.boolean() });
export type SetUserActiveInput = z.infer<typeof setUserActiveInput>;
