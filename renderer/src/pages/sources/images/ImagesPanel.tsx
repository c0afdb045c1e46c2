import { Alert, Badge, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { dicomSplitSummary, PATIENT_BASIS_LABELS } from '../../../../../electron/shared/dicom-text';
import type { SeriesSummaryView, StudySummaryView } from '../../../../../electron/shared/ingest-schemas';
import { AlertIcon, ImageIcon } from '../../../components/icons';
import { plural } from '../sourcesFormat';
import { SeriesCard } from './SeriesCard';
import { SeriesView } from './SeriesView';

interface Props {
  studies: StudySummaryView[] | null;
  active: boolean;
  // Changes when the user asks for the list again (clicks the active Images tab).
  home: number;
  onImport: () => void;
}

type Patient = StudySummaryView['patient'];
export interface Opened {
  study: StudySummaryView;
  series: SeriesSummaryView;
}

// Without a usable Patient ID the store keys a patient by "name|birth date", or by study when there is no identity.
export function patientLabel(patient: Patient): string {
  if (patient.identifiedBy === 'study') return 'Unidentified patient (one per study)';
  if (!patient.key.includes('|')) return patient.key;
  const [name = '', born = ''] = patient.key.split('|');
  if (!name && !born) return 'No patient ID';
  return [name || 'No name', born && `born ${born}`].filter(Boolean).join(', ');
}

export function basisLabel(patient: Patient): string {
  return `Told apart ${PATIENT_BASIS_LABELS[patient.identifiedBy]}`;
}

export function formatStudyDate(date: string | null): string | null {
  if (!date) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : date;
}

function byPatient(studies: StudySummaryView[]): { patient: Patient; studies: StudySummaryView[] }[] {
  const groups = new Map<string, { patient: Patient; studies: StudySummaryView[] }>();
  for (const study of studies) {
    const group = groups.get(study.patient.key);
    if (group) group.studies.push(study);
    else groups.set(study.patient.key, { patient: study.patient, studies: [study] });
  }
  return [...groups.values()];
}

export function ImagesPanel({ studies, active, home, onImport }: Props) {
  const [opened, setOpened] = useState<Opened | null>(null);
  useEffect(() => setOpened(null), [home]);
  // Thumbnails are rendered in main; wait until someone looks at this tab.
  const [seen, setSeen] = useState(active);
  useEffect(() => {
    if (active) setSeen(true);
  }, [active]);

  if (studies === null)
    return (
      <Center p="xl">
        <Loader size="sm" />
      </Center>
    );
  if (studies.length === 0)
    return (
      <Paper withBorder radius="md" p="xl" data-testid="images-empty">
        <Stack align="center" gap="sm">
          <ImageIcon size={28} />
          <Text fw={600}>No imaging studies yet</Text>
          <Text size="sm" c="dimmed" ta="center" maw={420}>
            Import DICOM files or folders to browse their studies, view images with window and level, and check their metadata for identifying details.
          </Text>
          <Button variant="light" onClick={onImport}>
            Go to Import
          </Button>
        </Stack>
      </Paper>
    );

  const patients = byPatient(studies);
  const seriesCount = studies.reduce((n, s) => n + s.series.length, 0);
  const split = dicomSplitSummary(studies);
  return (
    <>
      {opened && <SeriesView opened={opened} onClose={() => setOpened(null)} />}
      {/* Kept mounted under the viewer, so closing it does not reload every thumbnail. */}
      <Stack gap="md" display={opened ? 'none' : undefined} data-testid="images-list">
        <Text size="sm" c="dimmed">
          {plural(patients.length, 'patient')} · {plural(studies.length, 'study', 'studies')} · {plural(seriesCount, 'series', 'series')}. Open a series to view its images and
          check its metadata. {split.heldOut} of {plural(split.patients, 'patient')} held out for validation.
        </Text>
        {split.warning && (
          <Alert color="orange" variant="light" icon={<AlertIcon />} data-testid="dicom-split-warning">
            {split.warning}
          </Alert>
        )}
        {patients.map(({ patient, studies: own }) => (
          <Paper key={patient.key} withBorder radius="md" p="md" data-testid="patient-group">
            <Group gap="sm" mb="sm">
              <Title order={4} style={{ overflowWrap: 'anywhere' }}>
                <Text span inherit c="dimmed" fw={500}>
                  Patient{' '}
                </Text>
                {patientLabel(patient)}
              </Title>
              {patient.holdout && (
                <Badge color="grape" variant="light" title="This patient’s images are held out for validation.">
                  holdout
                </Badge>
              )}
              <Text size="sm" c="dimmed">
                {plural(own.length, 'study', 'studies')}
              </Text>
              {patient.identifiedBy !== 'patient-id' && (
                <Text size="sm" c={patient.identifiedBy === 'name-birth-date' ? 'dimmed' : 'orange.8'} data-testid="patient-basis">
                  {basisLabel(patient)}
                </Text>
              )}
            </Group>
            <Stack gap="md">
              {own.map((study) => (
                <div key={study.id}>
                  <Text size="sm" fw={600} mb={6}>
                    {study.description?.trim() || 'Study without description'}
                    <Text span size="sm" c="dimmed" fw={400}>
                      {' · '}
                      {formatStudyDate(study.date) ?? 'no date'} · {plural(study.series.length, 'series', 'series')}
                    </Text>
                  </Text>
                  <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
                    {study.series.map((series) => (
                      <SeriesCard key={series.id} series={series} load={seen} onOpen={() => setOpened({ study, series })} />
                    ))}
                  </SimpleGrid>
                </div>
              ))}
            </Stack>
          </Paper>
        ))}
      </Stack>
    </>
  );
}
