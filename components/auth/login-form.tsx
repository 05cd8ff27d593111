'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import type { Role } from '@/server/db/generated/enums';
import { safeCallbackPath, signInMessage } from './sign-in-messages';

export interface DemoRole {
  role: Role;
  label: string;
}

interface Props {
  callbackUrl: string | null;
  initialError: string | null;
  demoRoles: DemoRole[];
}

type Attempt =
  { provider: 'credentials'; email: string; password: string } | { provider: 'demo'; role: Role };

export function LoginForm({ callbackUrl, initialError, demoRoles }: Props) {
  const [error, setError] = useState<string | null>(signInMessage(initialError));
  const [pending, setPending] = useState(false);

  async function attempt(request: Attempt) {
    setPending(true);
    setError(null);
    const { provider, ...credentials } = request;
    const result = await signIn(provider, { ...credentials, redirect: false });
    if (result?.ok && !result.error) {
      // A full load, so that server components and the session provider see the new cookie.
      window.location.assign(safeCallbackPath(callbackUrl));

      return;
    }
    setError(signInMessage(result?.error ?? 'Unknown'));
    setPending(false);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void attempt({
      provider: 'credentials',
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
  }

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Sign in">
        <Field label="E-mail" name="email" type="email" autoComplete="username" />
        <Field label="Password" name="password" type="password" autoComplete="current-password" />
        {error && <ErrorMessage text={error} />}
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded bg-slate-900 px-3 py-2 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
        >
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {demoRoles.length > 0 && (
        <DemoButtons
          roles={demoRoles}
          disabled={pending}
          onPick={(role) => void attempt({ provider: 'demo', role })}
        />
      )}
    </div>
  );
}

function Field(props: { label: string; name: string; type: string; autoComplete: string }) {
  return (
    <label className="block space-y-1">
      <span className="font-medium text-slate-700">{props.label}</span>
      <input
        name={props.name}
        type={props.type}
        autoComplete={props.autoComplete}
        required
        className="w-full rounded border border-slate-300 bg-white px-3 py-2 focus:border-sky-600"
      />
    </label>
  );
}

function DemoButtons(props: {
  roles: DemoRole[];
  disabled: boolean;
  onPick: (role: Role) => void;
}) {
  return (
    <section aria-labelledby="demo-heading" className="space-y-2 border-t border-slate-200 pt-4">
      <h2
        id="demo-heading"
        className="text-xs font-semibold tracking-wide text-slate-500 uppercase"
      >
        Demo login
      </h2>
      <div className="grid grid-cols-1 gap-2">
        {props.roles.map(({ role, label }) => (
          <button
            key={role}
            type="button"
            disabled={props.disabled}
            onClick={() => props.onPick(role)}
            className="rounded border border-slate-300 bg-white px-3 py-1.5 text-left hover:bg-slate-100 disabled:opacity-60"
          >
            Demo login as {label}
          </button>
        ))}
      </div>
    </section>
  );
}

function ErrorMessage({ text }: { text: string }) {
  return (
    <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800">
      {text}
    </p>
  );
}
