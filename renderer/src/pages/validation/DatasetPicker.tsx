import { Select, Text } from '@mantine/core';
import { formatDateTimeShort } from '../../format';
import { generatorLabel, type Candidate } from './validationFormat';

interface Props {
  candidates: Candidate[];
  value: number | null;
  onChange: (datasetId: number) => void;
}

const count = (n: number, images: boolean): string => `${n.toLocaleString()} ${images ? (n === 1 ? 'image' : 'images') : 'rows'}`;

// Grouped by the run that made them, so a reviewer sees which spec and generator each version came from.
export function DatasetPicker({ candidates, value, onChange }: Props) {
  const groups = new Map<number, { group: string; items: { value: string; label: string }[] }>();
  for (const { run, dataset, images } of candidates) {
    const g = groups.get(run.id) ?? { group: `${run.specName} v${run.specVersion} · run #${run.id} · ${generatorLabel(run.generator)}`, items: [] };
    g.items.push({ value: String(dataset.id), label: `Dataset v${dataset.version} of run #${run.id} · ${count(dataset.rows, images)} · ${formatDateTimeShort(dataset.createdAt)}` });
    groups.set(run.id, g);
  }
  const current = candidates.find((c) => c.dataset.id === value);
  return (
    <div style={{ flex: 1, minWidth: 0 }}>
      <Select
        data-testid="validation-dataset"
        label="Synthetic dataset"
        placeholder="Choose a synthetic dataset"
        data={[...groups.values()]}
        value={value === null ? null : String(value)}
        onChange={(v) => v !== null && onChange(Number(v))}
        allowDeselect={false}
        searchable
        maxDropdownHeight={360}
        comboboxProps={{ withinPortal: true }}
      />
      {current && (
        <Text size="xs" c="dimmed" mt={6} data-testid="validation-dataset-facts">
          {current.run.specName} v{current.run.specVersion} · {generatorLabel(current.run.generator)} · {count(current.dataset.rows, current.images)} · sha256{' '}
          <Text span ff="monospace" size="xs" title={current.dataset.sha256}>
            {current.dataset.sha256.slice(0, 16)}…
          </Text>
        </Text>
      )}
    </div>
  );
}
