import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// `npm start` rebuilds only when the sources changed since the last build: a content hash of
// everything `next build` reads, stored beside the build.

const INPUTS = [
  'app',
  'components',
  'server',
  'public',
  'prisma',
  'proxy.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];
const SKIP = new Set(['node_modules', 'generated', '.next', '.data']);
const STAMP = path.join('.next', 'ct-source-hash');

function walk(entry: string, files: string[]): void {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isFile()) {
    files.push(entry);

    return;
  }
  for (const child of fs.readdirSync(entry).sort()) {
    if (SKIP.has(child) || child.endsWith('.test.ts')) continue;
    walk(path.join(entry, child), files);
  }
}

export function sourceHash(root = process.cwd()): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(path.join(root, input), files);
  const hash = createHash('sha256');
  for (const file of files)
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file));

  return hash.digest('hex');
}

export function buildIsCurrent(root = process.cwd()): boolean {
  const stamp = path.join(root, STAMP);
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID')) || !fs.existsSync(stamp)) return false;

  return fs.readFileSync(stamp, 'utf8').trim() === sourceHash(root);
}

export function stampBuild(root = process.cwd()): void {
  fs.writeFileSync(path.join(root, STAMP), `${sourceHash(root)}\n`);
}
