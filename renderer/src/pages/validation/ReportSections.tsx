import { Box, Button, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReportDocumentView } from '../../../../electron/shared/validation-schemas';
import { SampleGrids } from './ImageReportSections';
import { svgDataUrl, svgSize } from './svgDataUrl';
import { numericColumns } from './validationFormat';
import './validation.css';

type Section = ReportDocumentView['sections'][number];
type Metric = NonNullable<Section['metrics']>[number];
type Chart = NonNullable<Section['charts']>[number];

export const anchorId = (id: string) => `validation-part-${id}`;

// A long report needs a way around it: one button per part, scrolling to it (no navigation, no URL fragment).
export function ReportContents({ parts }: { parts: { id: string; title: string }[] }) {
  return (
    <Group gap={6} data-testid="validation-contents" wrap="wrap">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mr={4} style={{ letterSpacing: 0.4 }}>
        In this report
      </Text>
      {parts.map((p) => (
        <Button key={p.id} size="compact-sm" variant="light" color="gray" onClick={() => document.getElementById(anchorId(p.id))?.scrollIntoView({ behavior: 'smooth', block: 'start' })}>
          {p.title}
        </Button>
      ))}
    </Group>
  );
}

export function ReportSections({ sections }: { sections: Section[] }) {
  return (
    <Stack gap="md" data-testid="validation-sections">
      {sections.map((s) => (
        <Paper key={s.id} id={anchorId(s.id)} withBorder radius="md" className="validation-anchor" style={{ overflow: 'hidden' }} component="section" aria-label={s.title} data-testid={`validation-section-${s.id}`}>
          <Stack gap={2} p="md" pb={0}>
            <Title order={3}>{s.title}</Title>
            {s.intro && (
              <Text size="sm" c="dimmed" maw={900}>
                {s.intro}
              </Text>
            )}
          </Stack>
          <Stack gap="lg" p="md">
            {s.metrics && s.metrics.length > 0 && <MetricsTable metrics={s.metrics} />}
            {s.tables?.map((t, i) => (
              <DataTable key={i} table={t} />
            ))}
            {s.charts && s.charts.length > 0 && (
              <div className="validation-charts">
                {s.charts.map((c, i) => (
                  <ChartFigure key={i} chart={c} />
                ))}
              </div>
            )}
            {s.grids && s.grids.length > 0 && <SampleGrids grids={s.grids} />}
            {s.notes && s.notes.length > 0 && (
              <List size="xs" c="dimmed" spacing={2}>
                {s.notes.map((n, i) => (
                  <List.Item key={i}>{n}</List.Item>
                ))}
              </List>
            )}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

// Every number sits beside what it measures, its possible range and which direction is good.
function MetricsTable({ metrics }: { metrics: Metric[] }) {
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table fz="sm" verticalSpacing={6} horizontalSpacing="sm" withTableBorder striped data-testid="validation-metrics" style={{ tableLayout: 'fixed' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Metric</Table.Th>
            <Table.Th w={110} ta="right">
              Value
            </Table.Th>
            <Table.Th w={170} ta="right">
              95% interval
            </Table.Th>
            <Table.Th w={90}>Range</Table.Th>
            <Table.Th w={140}>Better</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {metrics.map((m, i) => (
            <Table.Tr key={i}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {m.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {m.definition}
                </Text>
              </Table.Td>
              <Table.Td ta="right" ff="monospace" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {m.value}
              </Table.Td>
              <Table.Td ta="right" ff="monospace" c="dimmed" fz="xs">
                {m.interval ? m.interval.replace(/^95% CI\s*/, '') : '—'}
              </Table.Td>
              <Table.Td ff="monospace" c="dimmed">
                {m.range}
              </Table.Td>
              <Table.Td c="dimmed">
                <span aria-hidden="true">{m.goal === 'higher is better' ? '↑ ' : '↓ '}</span>
                {m.goal === 'higher is better' ? 'higher' : 'lower'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DataTable({ table }: { table: NonNullable<Section['tables']>[number] }) {
  const numeric = numericColumns(table.rows, table.columns.length);
  const align = (j: number) => (numeric[j] ? 'right' : 'left');
  return (
    <Box>
      <Text size="sm" fw={600} mb={6}>
        {table.caption}
      </Text>
      {table.rows.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="validation-table-empty">
          None.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={Math.max(480, table.columns.length * 110)} maxHeight={420} type="native">
          <Table fz="sm" verticalSpacing={4} horizontalSpacing="sm" withTableBorder withColumnBorders striped stickyHeader data-testid="validation-table">
            <Table.Thead>
              <Table.Tr>
                {table.columns.map((c, j) => (
                  <Table.Th key={j} ta={align(j)} style={{ textTransform: 'none' }}>
                    {c.charAt(0).toUpperCase() + c.slice(1)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((r, i) => (
                <Table.Tr key={i}>
                  {r.map((cell, j) => (
                    <Table.Td key={j} ta={align(j)} ff={numeric[j] ? 'monospace' : undefined} className={numeric[j] ? 'nowrap' : undefined}>
                      {cell}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Box>
  );
}

// An <img> of the SVG, never inline markup: the chart cannot run script or restyle the page.
function ChartFigure({ chart }: { chart: Chart }) {
  const size = svgSize(chart.svg);
  return (
    <figure className="validation-chart" style={size ? { maxWidth: size.width } : undefined} data-testid="validation-chart">
      <img src={svgDataUrl(chart.svg)} alt={chart.caption} width={size?.width} height={size?.height} />
      <Text component="figcaption" size="xs" c="dimmed" mt={6}>
        {chart.caption}
      </Text>
    </figure>
  );
}
