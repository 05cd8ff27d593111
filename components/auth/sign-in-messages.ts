// What the login form says for next-auth's error codes (see server/auth/options.ts).
const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'Wrong e-mail or password',
  AccountInactive: 'This account is deactivated. Ask an administrator to reactivate it.',
  AccountLocked:
    'Too many wrong passwords: sign-in to this account is locked for 15 minutes. Try again later.',
  SessionRequired: 'Sign in to continue',
};

export function signInMessage(code: string | null | undefined): string | null {
  if (!code) return null;

  return MESSAGES[code] ?? 'Sign-in failed. Try again.';
}

/** Only same-origin paths, so that the login page cannot be used to send people elsewhere. */
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return '/';
  }

  return value.startsWith('/login') ? '/' : value;
}
