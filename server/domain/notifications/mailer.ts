import nodemailer, { type Transporter } from 'nodemailer';

// The SMTP adapter. SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS) names the relay or a
// local catcher in development; without it mail goes to nodemailer's JSON transport, which sends
// nothing, and the sender logs the ids instead.

export interface MailTransport {
  transporter: Transporter;
  /** True when mail is only rendered (no SMTP_URL). */
  dryRun: boolean;
}

let cached: { url: string | undefined; transport: MailTransport } | null = null;

export function createMailTransport(smtpUrl: string | undefined): MailTransport {
  if (!smtpUrl) {
    return { transporter: nodemailer.createTransport({ jsonTransport: true }), dryRun: true };
  }

  return { transporter: nodemailer.createTransport(smtpUrl), dryRun: false };
}

/** The process's transport for the current SMTP_URL (re-created if it changes). */
export function mailTransport(): MailTransport {
  const url = process.env.SMTP_URL || undefined;
  if (!cached || cached.url !== url) {
    cached?.transport.transporter.close();
    cached = { url, transport: createMailTransport(url) };
  }

  return cached.transport;
}

export function mailFrom(): string {
  return process.env.MAIL_FROM ?? 'Control tower <control-tower@localhost>';
}

/** Absolute links in mail; the inbox keeps the path. */
export function appUrl(path: string): string {
  const base = process.env.APP_URL ?? process.env.NEXTAUTH_URL ?? 'http://localhost:3000';

  return new URL(path, base).toString();
}
