import { Alert } from '@mantine/core';
import { CheckIcon } from './icons';

export function SuccessAlert({ message, onClose }: { message: string | null; onClose: () => void }) {
  if (!message) return null;
  return (
    <Alert
      data-testid="success-alert"
      role="status"
      color="teal"
      variant="light"
      icon={<CheckIcon />}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
    >
      {message}
    </Alert>
  );
}
