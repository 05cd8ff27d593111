import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child started `detached` (its own process group) and everything it started: SIGTERM
 * to the group, SIGKILL after the grace period. Resolves when the child has exited.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
