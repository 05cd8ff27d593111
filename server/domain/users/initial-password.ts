import { randomBytes } from 'node:crypto';

// 15 random bytes as base64url: 20 characters, 120 bits. Shown once to the admin who creates the
// account; only its argon2id hash is kept.
export function generateInitialPassword(): string {
  return randomBytes(15).toString('base64url');
}
