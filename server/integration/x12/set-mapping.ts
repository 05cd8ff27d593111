import { References } from '../references';
import type { AdapterWarning, LocationRef, MapResult, MappingContext, WarningCode } from '../types';
import { el, where, type SetSegment } from './segments';
import type { TransactionSet } from './structure';
import { x12Instant } from './x12-time';

// What every transaction set mapper shares: the set's segments, the reference lookups that record
// misses, warnings, and times resolved to instants with their offset.

export class SetMapping {
  readonly refs: References;
  readonly warnings: AdapterWarning[] = [];

  constructor(
    readonly set: TransactionSet,
    readonly context: MappingContext,
  ) {
    this.refs = new References(context.references);
  }

  first(tag: string, from: readonly SetSegment[] = this.set.body): SetSegment | undefined {
    return from.find((s) => s.tag === tag);
  }

  all(tag: string, from: readonly SetSegment[] = this.set.body): SetSegment[] {
    return from.filter((s) => s.tag === tag);
  }

  warn(code: WarningCode, message: string, segment?: string, eventId?: string): void {
    this.warnings.push({
      code,
      message,
      ...(segment === undefined ? {} : { segment }),
      ...(eventId === undefined ? {} : { eventId }),
    });
  }

  /**
   * The instant of a date/time/time-code triple in `segment` (element numbers), in `zone` when
   * the code names none. Null, with a warning, when the date is missing or not a date.
   */
  instant(
    segment: SetSegment,
    elements: [date: number, time: number | null, code: number | null],
    zone: string = this.context.timeZone,
    eventId?: string,
  ): string | null {
    const [date, time, code] = elements;
    const read = x12Instant(
      el(segment, date),
      time === null ? '' : el(segment, time),
      code ? el(segment, code) : '',
      zone,
    );
    if (!read) {
      this.warn(
        'MISSING_REQUIRED',
        `no readable date: "${el(segment, date)}"`,
        where(segment, date),
        eventId,
      );
      return null;
    }
    if (read.inferred) this.warn('INFERRED', read.inferred, where(segment, date), eventId);

    return read.iso;
  }

  /** When the sender created the group (GS04/GS05), in the site's zone: a document's own time. */
  groupInstant(zone: string = this.context.timeZone): string | null {
    return x12Instant(this.set.groupDate, this.set.groupTime, '', zone)?.iso ?? null;
  }

  /** Our site named by an N1 (warehouse, ship-from), or the default site with a recorded miss. */
  site(
    n1: SetSegment | undefined,
    eventIds: string[],
  ): { site: string; timeZone: string; dock?: string } {
    const fallback = { site: this.context.site, timeZone: this.context.timeZone };
    if (!n1) return fallback;
    const id = el(n1, 4) || el(n1, 2);
    const found = this.refs.location(el(n1, 3), id);
    if (found?.kind === 'SITE') {
      return {
        site: found.site,
        timeZone: found.timeZone ?? this.context.timeZone,
        ...(found.dock ? { dock: found.dock } : {}),
      };
    }
    this.refs.miss('LOCATION', id, where(n1, 4), eventIds);

    return fallback;
  }

  /** A customer's location named by an N1, or null with a recorded miss. */
  customerLocation(
    n1: SetSegment,
    eventIds: string[],
  ): Extract<LocationRef, { kind: 'CUSTOMER' }> | null {
    const id = el(n1, 4) || el(n1, 2);
    const found = this.refs.location(el(n1, 3), id);
    if (found?.kind === 'CUSTOMER') return found;
    this.refs.miss('LOCATION', id, where(n1, 4), eventIds);

    return null;
  }

  result<T>(events: T[], extra: AdapterWarning[] = []): MapResult<T> {
    return { events, unresolved: this.refs.unresolved, warnings: [...this.warnings, ...extra] };
  }
}

/** Splits `segments` into loops, each starting at a segment tagged `start`. */
export function loops(segments: readonly SetSegment[], start: string): SetSegment[][] {
  const out: SetSegment[][] = [];
  for (const segment of segments) {
    if (segment.tag === start) out.push([segment]);
    else out.at(-1)?.push(segment);
  }

  return out;
}

/** The N1 of an entity (ST, SF, WH ...) among `segments`. */
export function party(segments: readonly SetSegment[], ...codes: string[]): SetSegment | undefined {
  for (const code of codes) {
    const hit = segments.find((s) => s.tag === 'N1' && el(s, 1) === code);
    if (hit) return hit;
  }

  return undefined;
}
