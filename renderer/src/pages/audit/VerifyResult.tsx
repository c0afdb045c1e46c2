import { Alert, Code } from '@mantine/core';
import type { AuditVerifyResult } from '../../../../electron/shared/contract';
import { AlertIcon, CheckIcon } from '../../components/icons';

export function VerifyResult({ result, onClose }: { result: AuditVerifyResult; onClose: () => void }) {
  const common = { 'data-testid': 'audit-verify-result', variant: 'light', withCloseButton: true, closeButtonLabel: 'Dismiss', onClose } as const;
  if (result.ok) {
    const entries = `${result.checked} ${result.checked === 1 ? 'entry' : 'entries'}`;
    return (
      <Alert {...common} color="teal" icon={<CheckIcon />} title="Audit chain intact" data-state="intact">
        Chain intact — {entries} verified.
        {result.headHash && (
          <>
            {' '}
            Head hash: <Code title={result.headHash}>{result.headHash.slice(0, 16)}…</Code>
          </>
        )}
      </Alert>
    );
  }
  return (
    <Alert {...common} color="red" icon={<AlertIcon />} title="Audit chain broken" role="alert" data-state="broken">
      Chain broken at entry #{result.brokenAt ?? '?'}: {result.reason ?? 'no reason given'}. Entries from this point on cannot be trusted;
      tell your administrator and keep this workstation as it is.
    </Alert>
  );
}
