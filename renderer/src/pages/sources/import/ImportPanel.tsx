import { Stack } from '@mantine/core';
import { useCallback } from 'react';
import type { ImportJobView } from '../../../../../electron/shared/ingest-schemas';
import { FormError } from '../../../components/FormError';
import type { SourcesTab } from '../SourcesPage';
import { ImportForm } from './ImportForm';
import { ImportProgress } from './ImportProgress';
import { ImportResults } from './ImportResults';
import { useImportJob } from './useImportJob';

export function ImportPanel({ onImported, onShow }: { onImported: () => void; onShow: (tab: SourcesTab) => void }) {
  const finished = useCallback((job: ImportJobView) => {
    if (job.counts.imported > 0) onImported();
  }, [onImported]);
  const { job, error, cancelling, start, cancel } = useImportJob(finished);
  const running = job?.status === 'running';

  return (
    <Stack gap="lg" data-testid="import-panel">
      <ImportForm running={running} onStart={start} />
      <FormError message={error} />
      {job && running && <ImportProgress job={job} cancelling={cancelling} onCancel={() => void cancel()} />}
      {job && (!running || job.results.length > 0) && <ImportResults job={job} onShow={onShow} />}
    </Stack>
  );
}
