import { Alert, Badge, Button, Center, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { TIER_LABELS, resolveCriteria } from '../../../../electron/shared/criteria';
import { criteriaOverrides } from '../../../../electron/shared/spec-schema';
import type { ValidationView } from '../../../../electron/shared/validation-schemas';
import { ApiError, api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { AlertIcon, InfoIcon } from '../../components/icons';
import { formatDateTime, formatDateTimeShort } from '../../format';
import { HashValue } from '../training/HashValue';
import { CriteriaTable } from './CriteriaTable';
import { FindingsPanel } from './FindingsPanel';
import { MemorisationPairsPanel } from './MemorisationPairsPanel';
import { ReportContents, ReportSections, anchorId } from './ReportSections';
import { StageProgress } from './StageProgress';
import { VerdictBanner } from './VerdictBanner';
import { downloadText } from './svgDataUrl';
import { useValidation, type ValidationDetail as ValidationDetailData } from './useValidation';
import { OUTCOME, outcomeOf } from './validationFormat';

interface Props {
  validationId: number;
  canControl: boolean;
  onChanged: (v: ValidationView) => void;
}

export function ValidationDetail({ validationId, canControl, onChanged }: Props) {
  const { detail, error, replace } = useValidation(validationId);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'cancel' | 'html' | 'json' | 'pdf' | null>(null);
  const changed = useChangedCriteria(detail?.validation ?? null);
  const validation = detail?.validation ?? null;

  useEffect(() => {
    if (validation) onChanged(validation);
  }, [validation, onChanged]);

  if (!detail || !validation)
    return (
      <Paper withBorder radius="md" p="xl" data-testid="validation-detail">
        {error ? <FormError message={error} /> : <Center><Loader size="sm" aria-label="Loading validation" /></Center>}
      </Paper>
    );

  const cancel = async () => {
    setBusy('cancel');
    setActionError(null);
    try {
      replace(await api.validations.cancel({ validationId }));
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  // The desktop app saves through a dialog (PDF by Chromium's printing); elsewhere HTML and JSON download.
  const save = async (format: 'html' | 'json' | 'pdf') => {
    setBusy(format);
    setActionError(null);
    try {
      await api.validations.save({ validationId, format });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NOT_AVAILABLE') || format === 'pdf') {
        setActionError(errorMessage(e));
        return;
      }
      const r = await api.validations.report({ validationId, format });
      downloadText(r.fileName, r.mime, r.content);
    } finally {
      setBusy(null);
    }
  };

  const { document, findings } = detail;
  const outcome = OUTCOME[outcomeOf(validation)];
  const running = validation.status === 'running';
  // An image validation's in-app evidence is its memorisation pairs; a table's, its row-level findings.
  const images = document?.kind === 'images';
  const rowFindings = !images && findings;
  return (
    <Stack gap="md" data-testid="validation-detail" data-validation-id={validation.id} data-status={validation.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Title order={2}>Validation #{validation.id}</Title>
            <Badge data-testid="validation-status" color={outcome.color} variant={running ? 'light' : 'filled'} size="lg">
              {outcome.label}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            Dataset v{validation.datasetVersion} of run #{validation.runId} · spec #{validation.specId} v{validation.specVersion} · {TIER_LABELS[validation.tier]} tier
          </Text>
          <Text size="sm" c="dimmed">
            Started by {validation.actor} <span title={formatDateTime(validation.startedAt)}>{formatDateTimeShort(validation.startedAt)}</span>
            {validation.finishedAt && ` · finished ${formatDateTimeShort(validation.finishedAt)}`}
          </Text>
        </div>
        {document && (
          <Group gap="xs" wrap="nowrap">
            <Button variant="default" data-testid="validation-save-html" loading={busy === 'html'} onClick={() => void save('html')}>
              Save report (HTML)
            </Button>
            <Button variant="default" data-testid="validation-save-json" loading={busy === 'json'} onClick={() => void save('json')}>
              Save report (JSON)
            </Button>
            <Button variant="default" data-testid="validation-save-pdf" loading={busy === 'pdf'} onClick={() => void save('pdf')}>
              Save report (PDF)
            </Button>
          </Group>
        )}
      </Group>
      <FormError message={actionError} onClose={() => setActionError(null)} />
      <FormError message={error && `Could not refresh this validation: ${error}`} />
      {running && <StageProgress validation={validation} canCancel={canControl} cancelling={busy === 'cancel'} onCancel={() => void cancel()} />}
      {validation.status === 'failed' && (
        <Alert data-testid="validation-error" color="red" variant="light" icon={<AlertIcon />} title="Validation stopped before a verdict" role="alert">
          {validation.errorMessage ?? 'The validator stopped without saying why.'}
          {validation.errorCode && (
            <Text size="xs" c="dimmed" mt={4} ff="monospace">
              {validation.errorCode}
            </Text>
          )}
        </Alert>
      )}
      {validation.status === 'cancelled' && (
        <Alert data-testid="validation-cancelled" color="gray" variant="light" icon={<InfoIcon />} title="Validation cancelled">
          {validation.errorMessage ?? 'This validation was cancelled before it finished; it has no verdict.'} Validate the dataset again for a result.
        </Alert>
      )}
      {document && (
        <>
          <VerdictBanner document={document} />
          <ReportContents
            parts={[
              { id: 'criteria', title: 'Criteria' },
              ...document.sections.map((s) => ({ id: s.id, title: s.title })),
              ...(rowFindings ? [{ id: 'findings', title: 'Row-level findings' }] : []),
              ...(images ? [{ id: 'pairs', title: 'Memorisation pairs' }] : []),
              { id: 'provenance', title: 'Provenance' },
            ]}
          />
          <div id={anchorId('criteria')} className="validation-anchor">
            <CriteriaTable criteria={document.criteria} changed={changed} tierLabel={TIER_LABELS[validation.tier]} />
          </div>
          <ReportSections sections={document.sections} />
          {rowFindings && (
            <div id={anchorId('findings')} className="validation-anchor">
              <FindingsPanel findings={rowFindings} />
            </div>
          )}
          {images && (
            <div id={anchorId('pairs')} className="validation-anchor">
              <MemorisationPairsPanel validationId={validation.id} />
            </div>
          )}
          <div id={anchorId('provenance')} className="validation-anchor">
            <Provenance validation={validation} document={document} />
          </div>
          {document.suppressionNote && (
            <Alert color="gray" variant="light" icon={<InfoIcon />} p="sm" data-testid="validation-suppression">
              {document.suppressionNote}
            </Alert>
          )}
        </>
      )}
      {validation.status === 'done' && !document && <Text c="dimmed">This validation finished but its report could not be read.</Text>}
    </Stack>
  );
}

// What the result is bound to: the hashes a reviewer compares against the dataset card and the CLI.
function Provenance({ validation, document }: { validation: ValidationView; document: NonNullable<ValidationDetailData['document']> }) {
  const facts = document.facts.filter((f) => f.label !== 'Result SHA-256');
  return (
    <Paper withBorder radius="md" p="md" data-testid="validation-provenance">
      <Text fw={650}>{document.title}</Text>
      <Text size="sm" c="dimmed" mb="xs">
        {document.subtitle}
      </Text>
      <Table fz="sm" verticalSpacing={4} horizontalSpacing={0} layout="fixed">
        <Table.Tbody>
          {validation.resultSha256 && (
            <Table.Tr>
              <Table.Th w={170} fw={600} c="dimmed" style={{ verticalAlign: 'top' }}>
                Result SHA-256
              </Table.Th>
              <Table.Td>
                <HashValue value={validation.resultSha256} length={64} testId="validation-result-hash" />
              </Table.Td>
            </Table.Tr>
          )}
          {facts.map((f) => (
            <Table.Tr key={f.label}>
              <Table.Th w={170} fw={600} c="dimmed" style={{ verticalAlign: 'top' }}>
                {f.label}
              </Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{f.value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

// The spec version the validation judged: which criteria it set away from the tier's defaults.
function useChangedCriteria(validation: ValidationView | null): ReadonlySet<string> {
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const specId = validation?.specId;
  const version = validation?.specVersion;
  useEffect(() => {
    if (specId === undefined || version === undefined) return;
    let cancelled = false;
    api.specs
      .get({ specId, version })
      .then(({ current }) => {
        if (cancelled) return;
        const resolved = resolveCriteria(current.spec.tier, criteriaOverrides(current.spec));
        setChanged(new Set(resolved.filter((c) => c.changed).map((c) => c.id)));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [specId, version]);
  return changed;
}
