import { ActionIcon, Button, Center, Group, Loader, Modal, Paper, ScrollArea, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { ExportableDataset, RequestView } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { HtmlFrame } from './HtmlFrame';

interface Section {
  key: number;
  title: string;
  body: string;
}

interface Props {
  dataset: ExportableDataset;
  onClose: () => void;
  onRequested: (request: RequestView) => void;
}

const PREVIEW_DELAY_MS = 500;
const complete = (s: Section) => s.title.trim() !== '' && s.body.trim() !== '';

// The card a request freezes, built by the core; the steward may only add free-text sections to it.
export function RequestDialog({ dataset, onClose, onRequested }: Props) {
  const [sections, setSections] = useState<Section[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nextKey = useRef(1);
  const previewSeq = useRef(0);
  const previewed = useRef(false);
  const previewInput = JSON.stringify(sections.filter(complete).map(({ title, body }) => ({ title, body })));

  useEffect(() => {
    const seq = ++previewSeq.current;
    const timer = window.setTimeout(() => {
      api.approvals
        .preview({ datasetId: dataset.datasetId, sections: JSON.parse(previewInput) as { title: string; body: string }[] })
        .then((p) => {
          if (seq !== previewSeq.current) return;
          previewed.current = true;
          setPreview(p.cardHtml);
          setPreviewError(null);
        })
        .catch((e: unknown) => {
          if (seq === previewSeq.current) setPreviewError(errorMessage(e));
        });
    }, previewed.current ? PREVIEW_DELAY_MS : 0);
    return () => window.clearTimeout(timer);
  }, [dataset.datasetId, previewInput]);

  const edit = (key: number, patch: Partial<Section>) => setSections((list) => list.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onRequested(await api.approvals.request({ datasetId: dataset.datasetId, sections: sections.map(({ title, body }) => ({ title, body })) }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Request approval of ${dataset.specName} · dataset #${dataset.datasetId} v${dataset.datasetVersion}`} size="90%" closeOnClickOutside={false}>
      <Stack gap="md" data-testid="request-dialog">
        <Text size="sm">
          The request freezes this dataset, its spec, its newest finished validation and the card below by their SHA-256 hashes, for the release tier its
          spec names. The generated sections come from lineage and results and cannot be edited; you can add your own sections, marked as yours on the card.
        </Text>
        <Group align="flex-start" gap="md" wrap="nowrap">
          <Stack gap="sm" w={380} style={{ flexShrink: 0 }}>
            <Group justify="space-between">
              <Title order={5}>Your sections</Title>
              <Button
                size="compact-sm"
                variant="default"
                data-testid="request-add-section"
                disabled={sections.length >= 20}
                onClick={() => setSections((list) => [...list, { key: nextKey.current++, title: '', body: '' }])}
              >
                Add section
              </Button>
            </Group>
            {sections.length === 0 && (
              <Text size="sm" c="dimmed">
                None. Add one for context a reviewer should read, such as who asked for the data and why.
              </Text>
            )}
            <ScrollArea.Autosize mah="60vh" type="auto">
              <Stack gap="sm">
                {sections.map((s, i) => (
                  <Paper key={s.key} withBorder radius="md" p="sm" data-testid={`request-section-${i}`}>
                    <Stack gap={6}>
                      <Group gap="xs" wrap="nowrap" align="flex-end">
                        <TextInput style={{ flex: 1 }} label={`Section ${i + 1} title`} data-testid={`request-section-title-${i}`} value={s.title} onChange={(e) => edit(s.key, { title: e.currentTarget.value })} />
                        <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove section ${i + 1}`} data-testid={`request-section-remove-${i}`} onClick={() => setSections((list) => list.filter((x) => x.key !== s.key))}>
                          ×
                        </ActionIcon>
                      </Group>
                      <Textarea label="Text" autosize minRows={3} maxRows={10} data-testid={`request-section-body-${i}`} value={s.body} onChange={(e) => edit(s.key, { body: e.currentTarget.value })} />
                    </Stack>
                  </Paper>
                ))}
              </Stack>
            </ScrollArea.Autosize>
            {sections.some((s) => !complete(s)) && (
              <Text size="xs" c="dimmed">
                A section without a title and text is left out of the preview.
              </Text>
            )}
          </Stack>
          <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
            <Title order={5}>Card preview</Title>
            <FormError message={previewError} />
            {preview === null ? (
              !previewError && (
                <Center h={300}>
                  <Loader size="sm" aria-label="Building the card" />
                </Center>
              )
            ) : (
              <HtmlFrame html={preview} title="Dataset card preview" testId="request-card-preview" height="62vh" />
            )}
          </Stack>
        </Group>
        <FormError message={error} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} data-testid="request-submit" onClick={() => void submit()}>
            Request approval
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
