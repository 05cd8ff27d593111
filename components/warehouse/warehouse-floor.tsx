'use client';

import { useState } from 'react';
import { FloorBoard } from './floor-board';
import { HandRecordForm } from './hand-record-form';

/** The board and the hand-entry form side by side; "Record" on a row fills in the form. */
export function WarehouseFloor() {
  const [selected, setSelected] = useState('');

  return (
    <div className="grid gap-4 xl:grid-cols-3">
      <div className="xl:col-span-2">
        <FloorBoard onRecord={setSelected} />
      </div>
      <div>
        <HandRecordForm key={selected} initialRef={selected} />
      </div>
    </div>
  );
}
