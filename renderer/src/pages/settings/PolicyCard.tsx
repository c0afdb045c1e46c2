// The approval policy per release tier (admins): how many distinct reviewers must approve before export.
// Each change is one `approvals:setPolicy` call, audited by the core.
import { Button, Group, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { RELEASE_TIERS, TIER_LABELS, type ReleaseTier } from '../../../../electron/shared/criteria';
import type { ApprovalPolicy } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { SuccessAlert } from '../../components/SuccessAlert';

export function PolicyCard() {
  const [saved, setSaved] = useState<ApprovalPolicy | null>(null);
  const [draft, setDraft] = useState<Partial<Record<ReleaseTier, number | string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState<ReleaseTier | null>(null);

  useEffect(() => {
    api.approvals
      .policy()
      .then((p) => {
        setSaved(p);
        setDraft(p);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  const save = async (tier: ReleaseTier) => {
    const value = draft[tier];
    setError(null);
    setSuccess(null);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) {
      setError(`${TIER_LABELS[tier]} needs a whole number of reviewers from 1 to 5.`);
      return;
    }
    setBusy(tier);
    try {
      const p = await api.approvals.setPolicy({ tier, requiredApprovals: value });
      setSaved(p);
      setDraft(p);
      setSuccess(`Saved. ${TIER_LABELS[tier]} now needs ${p[tier]} distinct reviewer${p[tier] === 1 ? '' : 's'} before export.`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" maw={720} data-testid="policy-card">
      <Stack gap="sm">
        <Title order={4}>Approval policy</Title>
        <Text size="sm" c="dimmed">
          How many distinct reviewers must approve a dataset of each release tier before it can be exported. Nobody who wrote the spec, trained the data or
          requested the approval counts. Every change is recorded in the audit trail.
        </Text>
        <SuccessAlert message={success} onClose={() => setSuccess(null)} />
        <Table>
          <Table.Tbody>
            {RELEASE_TIERS.map((tier) => (
              <Table.Tr key={tier}>
                <Table.Td>{TIER_LABELS[tier]}</Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={`Reviewers needed for ${TIER_LABELS[tier].toLowerCase()}`}
                    data-testid={`policy-${tier}`}
                    min={1}
                    max={5}
                    allowDecimal={false}
                    allowNegative={false}
                    value={draft[tier] ?? ''}
                    onChange={(v) => setDraft((d) => ({ ...d, [tier]: v }))}
                    maw={120}
                  />
                </Table.Td>
                <Table.Td>
                  <Group>
                    <Button size="xs" variant="light" loading={busy === tier} disabled={saved === null || draft[tier] === saved[tier]} onClick={() => void save(tier)} data-testid={`policy-save-${tier}`}>
                      Save
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <FormError message={error} />
      </Stack>
    </Paper>
  );
}
