'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { ShownOnce } from './shown-once';
import { errorText, INPUT, PRIMARY } from './types';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="block">
      <span className="mb-0.5 block text-xs text-slate-600">{label}</span>
      {children}
    </label>
  );
}

export function CreateSubscriptionForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const partners = useQuery(trpc.webhooks.partners.queryOptions());
  const catalog = useQuery(trpc.webhooks.topics.queryOptions());
  const [partnerId, setPartnerId] = useState('');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [topics, setTopics] = useState<string[]>([]);
  const [maxAttempts, setMaxAttempts] = useState(10);
  const [timeoutSeconds, setTimeoutSeconds] = useState(10);
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: () => {
        setName('');
        setUrl('');
        setTopics([]);
        void queryClient.invalidateQueries({ queryKey: trpc.webhooks.subscriptions.queryKey() });
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ partnerId, name, url, topics, maxAttempts, timeoutMs: timeoutSeconds * 1000 });
  }

  const toggle = (topic: string) =>
    setTopics((t) => (t.includes(topic) ? t.filter((x) => x !== topic) : [...t, topic]));

  return (
    <form onSubmit={onSubmit} aria-label="Create subscription" className="space-y-2">
      <Field label="Partner">
        <select
          required
          value={partnerId}
          onChange={(e) => setPartnerId(e.target.value)}
          className={INPUT}
        >
          <option value="">Choose a partner…</option>
          {partners.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.code} · {p.name}
            </option>
          ))}
        </select>
        <span className="mt-0.5 block text-xs text-slate-500">
          It hears about the sites its API keys are scoped to; an ERP partner, about every site.
        </span>
      </Field>
      <Field label="Name">
        <input required value={name} onChange={(e) => setName(e.target.value)} className={INPUT} />
      </Field>
      <Field label="Target URL">
        <input
          required
          type="url"
          placeholder="https://erp.example.com/webhooks"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          className={INPUT}
        />
      </Field>
      <fieldset>
        <legend className="mb-0.5 text-xs text-slate-600">
          Event types (catalog v{catalog.data?.catalogVersion ?? '…'})
        </legend>
        {catalog.data?.topics.map((t) => (
          <label key={t.topic} className="flex items-start gap-2 py-0.5" title={t.description}>
            <input
              type="checkbox"
              checked={topics.includes(t.topic)}
              onChange={() => toggle(t.topic)}
            />
            <span>
              {t.label}{' '}
              <span className="font-mono text-xs text-slate-500">
                {t.topic} v{t.version}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Attempts before dead letter">
          <input
            type="number"
            min={1}
            max={25}
            value={maxAttempts}
            onChange={(e) => setMaxAttempts(Number(e.target.value))}
            className={INPUT}
          />
        </Field>
        <Field label="Timeout per attempt (s)">
          <input
            type="number"
            min={1}
            max={30}
            value={timeoutSeconds}
            onChange={(e) => setTimeoutSeconds(Number(e.target.value))}
            className={INPUT}
          />
        </Field>
      </div>
      {create.error && (
        <p role="alert" className="text-red-700">
          {errorText(create.error)}
        </p>
      )}
      <button type="submit" disabled={create.isPending} className={PRIMARY}>
        Create subscription
      </button>
      {create.data && (
        <ShownOnce
          title={`Created ${create.data.name}. Signing secret:`}
          secret={create.data.secret}
        />
      )}
    </form>
  );
}
