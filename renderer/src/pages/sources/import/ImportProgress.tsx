import { Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import type { ImportJobView } from '../../../../../electron/shared/ingest-schemas';
import { basename, formatBytes, formatCount, plural } from '../sourcesFormat';

export function ImportProgress({ job, cancelling, onCancel }: { job: ImportJobView; cancelling: boolean; onCancel: () => void }) {
  const fraction = job.bytesTotal > 0 ? job.bytesDone / job.bytesTotal : job.filesTotal > 0 ? job.filesDone / job.filesTotal : 0;
  const percent = Math.min(100, Math.round(fraction * 100));
  return (
    <Paper withBorder radius="md" p="lg" data-testid="import-running" aria-live="polite">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <div>
            <Text fw={600}>{cancelling ? 'Cancelling import…' : `Importing — ${percent}%`}</Text>
            <Text size="sm" c="dimmed" data-testid="import-files-count">
              {formatCount(job.filesDone)} of {plural(job.filesTotal, 'file')} · {formatBytes(job.bytesDone)} of {formatBytes(job.bytesTotal)}
            </Text>
          </div>
          <Button variant="light" color="red" onClick={onCancel} loading={cancelling} data-testid="import-cancel">
            Cancel import
          </Button>
        </Group>
        <Progress data-testid="import-progress" value={percent} size="lg" radius="xl" striped animated aria-label={`Import progress: ${percent}%`} />
        <Text size="sm" c="dimmed" truncate="end" title={job.current ?? undefined} data-testid="import-current">
          {job.current ? (
            <>
              Reading <Text span ff="monospace" size="sm" c="dark">{basename(job.current)}</Text>
            </>
          ) : (
            'Finding files…'
          )}
        </Text>
        <Text size="xs" c="dimmed">
          Cancelling stops after the file being read; that file is rolled back, files already imported stay in the store.
        </Text>
      </Stack>
    </Paper>
  );
}
