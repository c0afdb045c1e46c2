import { Select, SimpleGrid } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ColumnView, TableSummaryView } from '../../../../../electron/shared/ingest-schemas';
import { api } from '../../../api';

export interface LabelColumn {
  kind: 'column';
  tableId: number;
  patientColumn: string;
  labelColumn: string;
}

interface Props {
  value: LabelColumn;
  onChange: (next: LabelColumn) => void;
}

// Labels from a clinical table: which table, which column holds the DICOM PatientID, which the class.
export function LabelColumnPicker({ value, onChange }: Props) {
  const [tables, setTables] = useState<TableSummaryView[]>([]);
  const [columns, setColumns] = useState<ColumnView[]>([]);

  useEffect(() => {
    api.sources
      .list()
      .then((list) => setTables(list.tables))
      .catch(() => setTables([]));
  }, []);
  useEffect(() => {
    if (value.tableId < 0) return;
    api.tables
      .get({ tableId: value.tableId, previewRows: 0 })
      .then((t) => setColumns(t.columns))
      .catch(() => setColumns([]));
  }, [value.tableId]);

  const names = columns.map((c) => ({ value: c.name, label: `${c.name} (${c.type})` }));
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
      <Select
        data-testid="image-label-table"
        label="Label table"
        data={tables.map((t) => ({ value: String(t.id), label: t.name }))}
        value={value.tableId >= 0 ? String(value.tableId) : null}
        onChange={(v) => onChange({ ...value, tableId: v ? Number(v) : -1, patientColumn: '', labelColumn: '' })}
      />
      <Select data-testid="image-label-patient" label="Column with the DICOM Patient ID" data={names} value={value.patientColumn || null} onChange={(v) => onChange({ ...value, patientColumn: v ?? '' })} />
      <Select data-testid="image-label-column" label="Label column (one value per patient)" data={names} value={value.labelColumn || null} onChange={(v) => onChange({ ...value, labelColumn: v ?? '' })} />
    </SimpleGrid>
  );
}
