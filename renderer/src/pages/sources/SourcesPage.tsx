import { Badge, Center, Loader, Stack, Tabs } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ResultOf, SessionInfo } from '../../../../electron/shared/contract';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import { ClosedNotice } from '../../components/ClosedNotice';
import { ImagesPanel } from './images/ImagesPanel';
import { ImportPanel } from './import/ImportPanel';
import { TablesPanel } from './tables/TablesPanel';
import './sources.css';

export type SourcesList = ResultOf<'sources:list'>;
export type SourcesTab = 'import' | 'tables' | 'images';

const DESCRIPTION = 'Clinical tables and DICOM studies held in the encrypted workspace. Source data never leaves it.';

export function SourcesPage({ session }: { session: SessionInfo }) {
  if (!session.roles.includes('steward')) return <StewardsOnly />;
  if (session.sourcesAccess === 'pending') return <SourcesKeyPending />;
  return <StewardSources />;
}

// A new steward's slot receives the sources key from a steward's session; until then nothing can be read or sealed.
function SourcesKeyPending() {
  return (
    <Stack gap="lg" data-testid="sources-screen">
      <PageHeader title="Sources" description={DESCRIPTION} />
      <ClosedNotice testId="sources-pending" title="Your access to the sources is not active yet." color="yellow">
        Source data is sealed under a key that only data stewards hold, and yours has not reached your account yet. It is given to you the next time
        another data steward logs in; then lock Airlock and log in again. Until then you cannot import or browse sources.
      </ClosedNotice>
    </Stack>
  );
}

function StewardsOnly() {
  return (
    <Stack gap="lg" data-testid="sources-screen">
      <PageHeader title="Sources" description={DESCRIPTION} />
      <ClosedNotice testId="sources-forbidden" title="Sources are available to data stewards.">
        Importing and browsing sensitive source data needs the data steward role. Ask an administrator to add it to your account.
      </ClosedNotice>
    </Stack>
  );
}

function StewardSources() {
  const [sources, setSources] = useState<SourcesList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tab, setTab] = useState<SourcesTab | null>(null);
  // Clicking Images while a series is open goes back to the list of studies.
  const [imagesHome, setImagesHome] = useState(0);

  const reload = useCallback(async () => {
    try {
      const list = await api.sources.list();
      setSources(list);
      setLoadError(null);
      // The first visit opens where the data is; an empty workspace starts at Import.
      setTab((current) => current ?? (list.tables.length > 0 ? 'tables' : list.studies.length > 0 ? 'images' : 'import'));
    } catch (error) {
      setLoadError(errorMessage(error));
      setTab((current) => current ?? 'import');
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const seriesCount = sources?.studies.reduce((n, s) => n + s.series.length, 0) ?? 0;
  return (
    <Stack gap="lg" data-testid="sources-screen">
      <PageHeader title="Sources" description={DESCRIPTION} />
      <FormError message={loadError} />
      {tab === null ? (
        <Center p="xl">
          <Loader size="sm" aria-label="Loading sources" />
        </Center>
      ) : (
        <Tabs value={tab} onChange={(value) => setTab((value as SourcesTab | null) ?? 'import')} keepMounted>
          <Tabs.List mb="lg">
            <Tabs.Tab value="import" data-testid="sources-tab-import">
              Import
            </Tabs.Tab>
            <Tabs.Tab value="tables" data-testid="sources-tab-tables" rightSection={<CountBadge n={sources?.tables.length} />}>
              Tables
            </Tabs.Tab>
            <Tabs.Tab
              value="images"
              data-testid="sources-tab-images"
              rightSection={<CountBadge n={seriesCount} />}
              onClick={() => tab === 'images' && setImagesHome((n) => n + 1)}
            >
              Images
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="import">
            <ImportPanel onImported={() => void reload()} onShow={setTab} />
          </Tabs.Panel>
          <Tabs.Panel value="tables">
            <TablesPanel tables={sources?.tables ?? null} onChanged={() => void reload()} onImport={() => setTab('import')} />
          </Tabs.Panel>
          <Tabs.Panel value="images">
            <ImagesPanel studies={sources?.studies ?? null} active={tab === 'images'} home={imagesHome} onImport={() => setTab('import')} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

function CountBadge({ n }: { n: number | undefined }) {
  if (!n) return null;
  return (
    <Badge size="sm" variant="light" color="gray" circle={n < 10}>
      {n}
    </Badge>
  );
}
