// EPCIS 2.0 and CBV 2.0 spellings. A document may name a CBV term in its bare form
// ("shipping"), as a CBV 1.x URN ("urn:epcglobal:cbv:bizstep:shipping") or as a GS1 Web
// Vocabulary URI ("https://ref.gs1.org/cbv/BizStep-shipping"); all three mean one thing, and the
// mapper reads the bare form. Terms of a company's own vocabulary (any other URI) stay as sent.

/** @context URLs of EPCIS 2.0: the GitHub Pages one of the drafts and the published one. */
export const EPCIS_CONTEXTS = [
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
] as const;

const FORMS = {
  bizStep: { urn: 'urn:epcglobal:cbv:bizstep:', web: 'BizStep-' },
  disposition: { urn: 'urn:epcglobal:cbv:disp:', web: 'Disp-' },
  bizTransactionType: { urn: 'urn:epcglobal:cbv:btt:', web: 'BTT-' },
} as const;

const WEB_VOCABULARY = /^https?:\/\/ref\.gs1\.org\/cbv\/|^cbv:/;

export type Vocabulary = keyof typeof FORMS;

/** The bare CBV term of `value` ("shipping"), or `value` itself when it is not a CBV term. */
export function cbvTerm(kind: Vocabulary, value: string): string {
  const { urn, web } = FORMS[kind];
  if (value.startsWith(urn)) return value.slice(urn.length);
  const bare = value.replace(WEB_VOCABULARY, '');
  if (bare !== value && bare.startsWith(web)) return bare.slice(web.length);

  return value;
}

/**
 * The reference a business transaction carries, as our refs are written: the last path segment
 * of a URL ("http://transaction.acme.com/po/12345678" -> "12345678"), the part after the party's
 * GLN of a CBV URN ("urn:epcglobal:cbv:bt:0614141073467:1152" -> "1152"), or the value itself.
 */
export function transactionRef(value: string): string {
  const urn = /^urn:epcglobal:cbv:bt:\d{13}:(.+)$/.exec(value);
  if (urn) return urn[1]!;
  if (/^https?:\/\//.test(value)) {
    const path = value.replace(/[?#].*$/, '').replace(/\/+$/, '');

    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  }

  return value;
}

export function isEpcisContext(context: unknown): boolean {
  const entries = Array.isArray(context) ? context : [context];

  return entries.some(
    (e) => typeof e === 'string' && (EPCIS_CONTEXTS as readonly string[]).includes(e),
  );
}
