import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { MemorisationPairsView } from '../../../../electron/shared/validation-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { LockIcon } from '../../components/icons';
import './validation.css';

const LIMIT = 12;

type Pair = MemorisationPairsView['pairs'][number];

// Real patient pixels: drawn only when a steward or reviewer asks (each viewing is audited), kept in memory
// and dropped when the panel is hidden; never part of a report.
export function MemorisationPairsPanel({ validationId }: { validationId: number }) {
  const [view, setView] = useState<MemorisationPairsView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const show = async () => {
    setBusy(true);
    setError(null);
    try {
      setView(await api.validations.memorisationPairs({ validationId, limit: LIMIT }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper radius="md" p="md" data-testid="memorisation-pairs" style={{ border: '2px dashed var(--mantine-color-orange-5)', background: 'var(--mantine-color-orange-0)' }} component="section" aria-label="Memorisation pairs">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Group gap="xs">
              <Title order={3}>Memorisation pairs</Title>
              <Badge color="orange" variant="filled" leftSection={<LockIcon size={12} />}>
                In-app only · never in a report
              </Badge>
            </Group>
            <Text size="sm" c="dimmed" mt={2} maw={900}>
              The synthetic images most alike a real image, each beside that real frame in the same window and size as the generator trained on. These show real patient images: they are drawn only on request, the viewing is recorded in the audit log, and they are left out of every HTML, JSON or PDF report.
            </Text>
          </div>
          {view ? (
            <Button variant="default" onClick={() => setView(null)} data-testid="memorisation-pairs-hide">
              Hide
            </Button>
          ) : (
            <Button color="orange" loading={busy} onClick={() => void show()} data-testid="memorisation-pairs-show">
              Show the closest pairs
            </Button>
          )}
        </Group>
        <FormError message={error} onClose={() => setError(null)} />
        {view && view.pairs.length === 0 && (
          <Alert color="teal" variant="light" data-testid="memorisation-pairs-empty">
            This validation stored no pairs.
          </Alert>
        )}
        {view && view.pairs.length > 0 && (
          <>
            {view.realWithheld && view.withheldNote && (
              <Alert color="gray" variant="light" data-testid="memorisation-pairs-withheld">
                {view.withheldNote}
              </Alert>
            )}
            <Text size="sm" data-testid="memorisation-pairs-summary">
              Showing the {view.pairs.length} closest of {view.total} stored pairs{view.threshold === null ? '' : `; the spec flags a normalised cross-correlation of ${view.threshold} or more`}.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
              {view.pairs.map((p) => (
                <PairCard key={`${p.rank}`} pair={p} />
              ))}
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Paper>
  );
}

function PairCard({ pair }: { pair: Pair }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid="memorisation-pair" data-above={pair.aboveThreshold ? 'true' : 'false'}>
      <Group justify="space-between" mb={6} gap={4} wrap="wrap">
        <Text size="sm" fw={650}>
          #{pair.rank} · synthetic image {pair.syntheticIndex + 1}
          {pair.classLabel ? ` · ${pair.classLabel}` : ''}
        </Text>
        {pair.aboveThreshold && (
          <Badge color="red" variant="filled" size="sm" style={{ flexShrink: 0 }}>
            Above threshold
          </Badge>
        )}
      </Group>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <figure className="pair-image">
          {pair.realPng === null ? (
            <Text size="xs" c="dimmed" data-testid="memorisation-pair-real-withheld">
              Withheld: only a data steward can see the real frames.
            </Text>
          ) : (
            <img src={pair.realPng} alt={`Real frame ${pair.frame + 1} of series #${pair.seriesId}`} data-testid="memorisation-pair-real" />
          )}
          <Text component="figcaption" size="xs" c="dimmed">
            Real ({pair.against === 'training' ? 'training' : 'holdout'}) · series #{pair.seriesId}, file #{pair.fileId}, frame {pair.frame + 1}
          </Text>
        </figure>
        <figure className="pair-image">
          <img src={pair.syntheticPng} alt={`Synthetic image ${pair.syntheticIndex + 1}`} data-testid="memorisation-pair-synthetic" />
          <Text component="figcaption" size="xs" c="dimmed">
            Synthetic · image {pair.syntheticIndex + 1}
          </Text>
        </figure>
      </Group>
      <Group gap="md" mt={6}>
        <Text size="sm" ff="monospace" data-testid="memorisation-pair-ncc">
          NCC {pair.ncc.toFixed(3)}
        </Text>
        <Text size="sm" ff="monospace" c="dimmed">
          SSIM {pair.ssim === null ? '—' : pair.ssim.toFixed(3)}
        </Text>
      </Group>
    </Paper>
  );
}
