import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import type { SignatureView } from '../../../../electron/shared/approval-schemas';
import { utc } from './approvalsFormat';

interface Props {
  signatures: SignatureView[];
  /** Whether the current user may revoke this signature (its signer or an admin). */
  canRevoke: (s: SignatureView) => boolean;
  onRevoke: (s: SignatureView) => void;
}

// Printed name, UTC time and meaning wherever a signature is shown (Part 11 §11.50).
export function SignaturesList({ signatures, canRevoke, onRevoke }: Props) {
  if (signatures.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="signatures-none">
        Nobody has signed this request yet.
      </Text>
    );
  }
  return (
    <Stack gap="sm" data-testid="signatures">
      {signatures.map((s) => {
        const approved = s.decision === 'approved';
        return (
          <Paper key={s.id} withBorder radius="md" p="sm" data-testid={`signature-${s.id}`} data-decision={s.decision} data-revoked={s.revoked !== null} style={{ opacity: s.revoked ? 0.75 : 1 }}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={4} style={{ minWidth: 0 }}>
                <Group gap="xs">
                  <Badge color={s.revoked ? 'gray' : approved ? 'teal' : 'red'} variant="filled" tt="none" data-testid={`signature-meaning-${s.id}`}>
                    {s.meaning}
                  </Badge>
                  {s.revoked && (
                    <Badge color="orange" variant="light" tt="none">
                      Revoked
                    </Badge>
                  )}
                </Group>
                <Text size="sm" data-testid={`signature-signer-${s.id}`}>
                  <b>{s.printedName}</b> ({s.username}) · {utc(s.signedAt)}
                </Text>
                <Text size="sm">“{s.comment}”</Text>
                {s.exception && (
                  <Text size="sm" c="orange.9" data-testid={`signature-exception-${s.id}`}>
                    <b>Justified exception:</b> {s.exception}
                  </Text>
                )}
                {s.revoked && (
                  <Text size="sm" c="orange.9" data-testid={`signature-revoked-${s.id}`}>
                    Revoked by <b>{s.revoked.printedName}</b> ({s.revoked.by}) · {utc(s.revoked.at)}: “{s.revoked.reason}”
                  </Text>
                )}
                <Text size="xs" c="dimmed" ff="monospace" title={s.keyFingerprint}>
                  key {s.keyFingerprint.slice(0, 16)}…
                </Text>
              </Stack>
              {approved && !s.revoked && canRevoke(s) && (
                <Button size="compact-sm" variant="default" color="red" data-testid={`signature-revoke-${s.id}`} onClick={() => onRevoke(s)}>
                  Revoke…
                </Button>
              )}
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
