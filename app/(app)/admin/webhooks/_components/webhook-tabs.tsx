import Link from 'next/link';

const TABS = [
  { href: '/admin/webhooks', label: 'Subscriptions' },
  { href: '/admin/webhooks/deliveries', label: 'Delivery log' },
  { href: '/admin/webhooks/dead-letters', label: 'Dead letters' },
] as const;

export function WebhookTabs({ current }: { current: (typeof TABS)[number]['href'] }) {
  return (
    <nav aria-label="Webhooks" className="mb-4 flex gap-4 border-b border-slate-200">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.href === current ? 'page' : undefined}
          className={
            t.href === current
              ? 'border-b-2 border-slate-900 pb-1 font-medium'
              : 'pb-1 text-slate-600 hover:text-slate-900'
          }
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
