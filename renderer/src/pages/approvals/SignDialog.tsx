import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { RequestDetail } from '../../../../electron/shared/approval-schemas';
import { api, errorMessage } from '../../api';
import { FormError } from '../../components/FormError';
import { AlertIcon } from '../../components/icons';
import { isApproval, tierLabel } from './approvalsFormat';

interface Props {
  detail: RequestDetail;
  signerName: string;
  onClose: () => void;
  onSigned: (detail: RequestDetail, meaning: string) => void;
}

// An electronic signature: what it means, why (a comment), and the password typed again for this one signature.
export function SignDialog({ detail, signerName, onClose, onSigned }: Props) {
  const { request, meanings } = detail;
  // No default: the signer states what the signature means (Part 11 §11.50).
  const [meaning, setMeaning] = useState('');
  const [comment, setComment] = useState('');
  const [exception, setException] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsException = request.verdict === 'fail' && isApproval(meaning);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const signed = await api.approvals.sign({ requestId: request.id, meaning, comment, password, ...(needsException ? { exception } : {}) });
      onSigned(signed, meaning);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      // Never kept between attempts: each signature is its own act of re-entering it.
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Sign request #${request.id}`} size="lg" closeOnClickOutside={false}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="sign-dialog">
        <Stack gap="md">
          <Text size="sm">
            You sign as <b>{signerName}</b> for <b>{tierLabel(request.tier)}</b>. Your printed name, the UTC time and the meaning you choose are part of
            the signature and appear on the card and in the bundle.
          </Text>
          <Radio.Group label="Meaning of your signature" value={meaning} onChange={setMeaning} data-testid="sign-meaning" required>
            <Stack gap={6} mt={6}>
              {meanings.map((m) => (
                <Radio key={m} value={m} label={m} data-testid={`sign-meaning-${isApproval(m) ? 'approve' : 'reject'}`} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            data-testid="sign-comment"
            label="Comment"
            description={meaning && !isApproval(meaning) ? 'Why you reject it.' : 'What you checked.'}
            autosize
            minRows={2}
            maxRows={6}
            required
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
          {needsException && (
            <>
              <Alert color="orange" variant="light" icon={<AlertIcon />} p="xs" data-testid="sign-exception-note">
                Validation #{request.validationId} failed its acceptance criteria. Approving it needs a justified exception; it is printed on the card.
              </Alert>
              <Textarea
                data-testid="sign-exception"
                label="Justified exception"
                description="Why this dataset may be used despite the criteria it did not meet."
                autosize
                minRows={2}
                maxRows={6}
                required
                value={exception}
                onChange={(e) => setException(e.currentTarget.value)}
              />
            </>
          )}
          <PasswordInput
            data-testid="sign-password"
            label="Your password"
            description="Typed again for every signature."
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <FormError message={error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} color={meaning && !isApproval(meaning) ? 'red' : 'teal'} data-testid="sign-submit" disabled={!meaning}>
              {meaning ? `Sign: ${meaning}` : 'Sign'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
