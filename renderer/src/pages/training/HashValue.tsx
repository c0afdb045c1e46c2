import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { CheckIcon } from '../../components/icons';

// Short on screen, whole in the title and on the clipboard, for comparing against a dataset card or the CLI.
export function HashValue({ value, testId, length = 12 }: { value: string; testId?: string; length?: number }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm" ff="monospace" title={value} data-testid={testId} data-value={value}>
        {value.length > length ? `${value.slice(0, length)}…` : value}
      </Text>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy the full hash'} withArrow>
            <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy the full hash">
              {copied ? <CheckIcon size={14} /> : <CopyIcon />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function CopyIcon() {
  return (
    <svg width={14} height={14} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <rect x="9" y="9" width="11" height="11" rx="2" />
      <path d="M5 15V5a2 2 0 0 1 2-2h8" />
    </svg>
  );
}
