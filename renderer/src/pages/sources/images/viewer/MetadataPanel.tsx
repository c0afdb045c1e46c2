import { Box, Center, Group, Loader, Paper, ScrollArea, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Fragment, useEffect, useMemo, useState } from 'react';
import type { DicomTagView } from '../../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../../api';
import { SearchIcon } from '../../../../components/icons';
import { formatCount } from '../../sourcesFormat';

const tagId = (tag: string) => tag.replace(/[^0-9A-Fa-f]/g, '');
// Private tags live in odd groups; other tags without a keyword are simply not in the dictionary.
const isPrivate = (tag: string) => parseInt(tagId(tag).slice(0, 4), 16) % 2 === 1;

// Long keywords break between their words (PatientBirthDate → Patient·Birth·Date), not mid-word.
function Keyword({ keyword }: { keyword: string }) {
  const parts = keyword.split(/(?<=[a-z0-9])(?=[A-Z])/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}

// Scrolling through slices changes the instance on every step; wait for the user to settle first.
const SETTLE_MS = 150;

export function MetadataPanel({ instanceId }: { instanceId: number | null }) {
  const [settledId] = useDebouncedValue(instanceId, SETTLE_MS);
  const [tags, setTags] = useState<DicomTagView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [identifyingOnly, setIdentifyingOnly] = useState(false);

  useEffect(() => {
    if (settledId === null) return;
    let cancelled = false;
    api.dicom
      .tags({ instanceId: settledId })
      .then((r) => {
        if (cancelled) return;
        setTags(r.tags);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(errorMessage(e));
      });
    return () => {
      cancelled = true;
    };
  }, [settledId]);

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const qTag = tagId(q);
    return (tags ?? []).filter(
      (t) =>
        (!identifyingOnly || t.identifying) &&
        (!q || t.tag.toLowerCase().includes(q) || (qTag.length >= 4 && tagId(t.tag).toLowerCase().includes(qTag)) || (t.keyword ?? '').toLowerCase().includes(q) || t.value.toLowerCase().includes(q)),
    );
  }, [tags, filter, identifyingOnly]);
  const identifying = tags?.filter((t) => t.identifying).length ?? 0;

  return (
    <Paper withBorder radius="md" data-testid="metadata-panel" className="sources-metadata">
      <Box p="sm" pb="xs">
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Title order={5}>Metadata</Title>
          {tags && (
            <Text size="xs" c="dimmed">
              {formatCount(tags.length)} tags
              {identifying > 0 && (
                <Text span size="xs" c="orange.8" fw={600}>
                  {' '}
                  · {formatCount(identifying)} identifying
                </Text>
              )}
            </Text>
          )}
        </Group>
        <TextInput
          mt="xs"
          size="xs"
          placeholder="Filter by tag, keyword or value"
          aria-label="Filter metadata"
          leftSection={<SearchIcon size={14} />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          data-testid="metadata-filter"
        />
        <Switch mt={8} size="xs" label="Identifying only" checked={identifyingOnly} onChange={(e) => setIdentifyingOnly(e.currentTarget.checked)} data-testid="metadata-identifying-only" />
      </Box>
      <Box className="sources-metadata-body">
        <ScrollArea className="sources-metadata-scroll" type="auto" scrollbars="y" offsetScrollbars="y">
          {tags === null ? (
            <Center p="lg">{error ? <Text size="sm" c="red.8">{error}</Text> : <Loader size="xs" />}</Center>
          ) : shown.length === 0 ? (
            <Text size="sm" c="dimmed" p="md" ta="center">
              No tags match.
            </Text>
          ) : (
            <Table fz="xs" verticalSpacing={4} horizontalSpacing={8} stickyHeader data-testid="metadata-table" style={{ tableLayout: 'fixed' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={84}>Tag</Table.Th>
                  <Table.Th w={124}>Keyword</Table.Th>
                  <Table.Th w={34}>VR</Table.Th>
                  <Table.Th>Value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((t, i) => (
                  <TagRow key={`${t.tag}-${i}`} tag={t} />
                ))}
              </Table.Tbody>
            </Table>
          )}
        </ScrollArea>
      </Box>
    </Paper>
  );
}

function TagRow({ tag }: { tag: DicomTagView }) {
  return (
    <Table.Tr data-testid={`tag-row-${tagId(tag.tag)}`} data-identifying={tag.identifying ? 'true' : 'false'} className={tag.identifying ? 'sources-tag-identifying' : undefined}>
      <Table.Td ff="monospace" className="nowrap" c={tag.identifying ? 'orange.9' : 'dimmed'}>
        {tag.tag}
      </Table.Td>
      <Table.Td style={{ overflowWrap: 'break-word' }} fw={tag.identifying ? 600 : undefined}>
        {tag.keyword ? <Keyword keyword={tag.keyword} /> : <Text span size="xs" c="dimmed">{isPrivate(tag.tag) ? 'private' : '—'}</Text>}
      </Table.Td>
      <Table.Td ff="monospace" c="dimmed">
        {tag.vr}
      </Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        {tag.value === '' ? (
          <Text span size="xs" c="dimmed" data-testid="tag-empty">
            (present but empty)
          </Text>
        ) : (
          tag.value
        )}
        {tag.identifying && (
          <Text size="xs" fw={600} c="orange.9" mt={2} data-testid="tag-identifying">
            identifying{tag.annexE ? ` (Annex E: ${tag.annexE})` : ''}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
