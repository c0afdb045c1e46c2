import { Alert } from '@mantine/core';
import { AlertIcon } from './icons';

export function FormError({ message, onClose }: { message: string | null; onClose?: () => void }) {
  if (!message) return null;
  return (
    <Alert
      data-testid="form-error"
      role="alert"
      color="red"
      variant="light"
      icon={<AlertIcon />}
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
    >
      {message}
    </Alert>
  );
}
