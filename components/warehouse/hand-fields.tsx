'use client';

import type { ReactNode } from 'react';
import { formatQuantity } from '../ui/format';
import type { HandTarget } from './floor-types';

// The fields of a hand-recorded pick or stage, uncontrolled: the form reads them on submit.

const INPUT = 'w-full rounded border border-slate-300 px-2 py-1';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="block">
      <span className="text-xs text-slate-600">{label}</span>
      {children}
    </label>
  );
}

export function PickFields({ target }: { target: HandTarget }) {
  const lines = target.order.lines;

  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <Field label="Line">
        <select name="lineNo" className={INPUT} required>
          {lines.map((l) => (
            <option key={l.lineNo} value={l.lineNo}>
              {l.lineNo} · {l.sku.code} · {formatQuantity(l.quantity)} {l.uomCode} ordered
            </option>
          ))}
        </select>
      </Field>
      <Field label="Quantity picked (total for the line)">
        <input name="quantity" inputMode="decimal" className={INPUT} required placeholder="12" />
      </Field>
      <Field label="Unit of measure">
        <input name="uom" className={INPUT} required defaultValue={lines[0]?.uomCode ?? 'EA'} />
      </Field>
      <Field label="Lot">
        <input name="lot" className={INPUT} />
      </Field>
      <Field label="Location">
        <input name="location" className={INPUT} />
      </Field>
    </div>
  );
}

export function StageFields({ target }: { target: HandTarget }) {
  const docks = target.site.dockDoors;

  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <Field label="Handling units">
        <input name="handlingUnits" type="number" min={1} step={1} className={INPUT} required />
      </Field>
      <Field label="Weight (kg)">
        <input name="weightKg" inputMode="decimal" className={INPUT} required placeholder="250.5" />
      </Field>
      <Field label="Volume (m³)">
        <input name="volumeM3" inputMode="decimal" className={INPUT} required placeholder="1.2" />
      </Field>
      <Field label="Dock">
        <input
          name="dock"
          list="hand-docks"
          className={INPUT}
          required
          defaultValue={docks[0]?.code}
        />
        <datalist id="hand-docks">
          {docks.map((d) => (
            <option key={d.code} value={d.code} />
          ))}
        </datalist>
      </Field>
    </div>
  );
}
