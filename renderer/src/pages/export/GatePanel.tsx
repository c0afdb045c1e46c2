import { Alert, List, Text } from '@mantine/core';
import type { GateAnswer } from '../../../../electron/shared/approval-schemas';
import { AlertIcon, CheckIcon } from '../../components/icons';
import { tierLabel, utc } from '../approvals/approvalsFormat';

// The export gate's answer in words: allowed with the approvals that open it, or every reason it refuses.
export function GatePanel({ gate }: { gate: GateAnswer }) {
  if (gate.allowed) {
    return (
      <Alert color="teal" variant="light" icon={<CheckIcon />} title="Export allowed" data-testid="export-gate" data-allowed="true">
        <Text size="sm">
          Request #{gate.requestId} is approved{gate.tier ? ` for ${tierLabel(gate.tier).toLowerCase()}` : ''}: {gate.approvals.length} of {gate.requiredApprovals}{' '}
          required approval{gate.requiredApprovals === 1 ? '' : 's'}, every signature verified now.
        </Text>
        <List size="sm" spacing={2} mt={6}>
          {gate.approvals.map((a) => (
            <List.Item key={a.id}>
              <b>{a.printedName}</b> ({a.username}) · {utc(a.signedAt)} · “{a.meaning}”{a.exception ? ' · with a justified exception' : ''}
            </List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} title="Export refused" data-testid="export-gate" data-allowed="false">
      <List size="sm" spacing={4} data-testid="export-gate-reasons">
        {gate.reasons.map((r, i) => (
          <List.Item key={i}>{r}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
