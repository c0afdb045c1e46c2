import { Box, Center, Loader, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { RunView } from '../../../../electron/shared/train-schemas';
import { api, errorMessage } from '../../api';
import { svgDataUrl } from '../validation/svgDataUrl';
import { formatLoss } from './trainingFormat';

interface Props {
  runId: number;
  losses: RunView['losses'];
  running: boolean;
}

// The losses drawn by the same charting library as the validation reports (Vega-Lite, rendered to SVG in the
// core), shown as an image. Fetched again when a new epoch is recorded; while nothing changes, no request.
export function LossChart({ runId, losses, running }: Props) {
  const [chart, setChart] = useState<{ url: string; epochs: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const epochs = losses.length;
  const requester = useRef<((epochs: number) => void) | null>(null);

  // One request at a time: epochs can arrive faster than a chart renders, so a new epoch during a request asks
  // for one more chart when it returns, and an in-flight chart is still shown rather than thrown away.
  useEffect(() => {
    let alive = true;
    let inflight = false;
    let again: number | null = null;
    const request = (n: number) => {
      if (inflight) {
        again = n;
        return;
      }
      inflight = true;
      api.runs
        .lossChart({ runId })
        .then((r) => {
          if (!alive) return;
          setChart(r.svg ? { url: svgDataUrl(r.svg), epochs: n } : null);
          setError(null);
        })
        .catch((e: unknown) => alive && setError(errorMessage(e)))
        .finally(() => {
          inflight = false;
          if (alive && again !== null) {
            const next = again;
            again = null;
            request(next);
          }
        });
    };
    requester.current = request;
    return () => {
      alive = false;
      requester.current = null;
    };
  }, [runId]);

  // A new epoch, or the run ending (its last losses), asks for a fresh chart.
  useEffect(() => requester.current?.(epochs), [epochs, running]);

  const names = [...new Set(losses.flatMap((l) => Object.keys(l.losses)))];
  const last = losses.at(-1);
  const summary = names.map((n) => `${n} ${formatLoss(last?.losses[n] ?? Number.NaN)}`).join(', ');
  const alt = `Training losses by epoch, ${losses[0]?.epoch ?? 0} to ${last?.epoch ?? 0}. Latest: ${summary}.`;

  return (
    <Box data-testid="run-loss-chart" data-epochs={chart?.epochs ?? 0}>
      {chart ? (
        <img src={chart.url} alt={alt} style={{ display: 'block', width: '100%', maxWidth: 760, height: 'auto', margin: '0 auto' }} data-testid="run-loss-image" />
      ) : error ? (
        <Text size="sm" c="red.8" role="alert">
          Could not draw the losses: {error}
        </Text>
      ) : (
        <Center h={120}>
          <Loader size="sm" aria-label="Drawing the loss chart" />
        </Center>
      )}
      {summary && (
        <Text size="xs" c="dimmed" ta="center" mt={4} data-testid="run-loss-latest">
          Epoch {last?.epoch}: {summary}
        </Text>
      )}
    </Box>
  );
}
