/**
 * The error for a field of the wrong shape. A missing field just says "is required": the path
 * already names it, and "expected string, received undefined" helps no sender.
 */
export function mustBe(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}
