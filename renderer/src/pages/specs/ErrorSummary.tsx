import { Alert, List, Text } from '@mantine/core';
import { AlertIcon } from '../../components/icons';
import { labelForPath } from './specFields';
import type { SpecIssue } from './specDraft';

const SHOWN = 6;

// Above Save: everything that stops the spec from saving, including fields scrolled out of view.
export function ErrorSummary({ issues, jsonError, columnNames }: { issues: SpecIssue[]; jsonError: string | null; columnNames: string[] }) {
  const lines = [...(jsonError ? [`JSON: ${jsonError}`] : []), ...issues.map((i) => `${labelForPath(i.path, columnNames)}: ${i.message}`)];
  if (lines.length === 0) return null;
  return (
    <Alert data-testid="spec-errors" color="red" variant="light" icon={<AlertIcon />} p="sm" title={lines.length === 1 ? 'Fix this to save' : `Fix these ${lines.length} problems to save`}>
      <List size="sm" spacing={2}>
        {lines.slice(0, SHOWN).map((line, i) => (
          <List.Item key={i}>{line}</List.Item>
        ))}
      </List>
      {lines.length > SHOWN && (
        <Text size="sm" c="dimmed" mt={4}>
          and {lines.length - SHOWN} more.
        </Text>
      )}
    </Alert>
  );
}
