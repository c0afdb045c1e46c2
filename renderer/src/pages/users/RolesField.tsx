import { Checkbox, Stack } from '@mantine/core';
import { ROLES } from '../../../../electron/shared/contract';
import type { Role } from '../../../../electron/shared/contract';

const ROLE_HELP: Record<Role, { label: string; help: string }> = {
  steward: { label: 'Data steward', help: 'Imports sources, runs training and exports approved synthetic data.' },
  reviewer: { label: 'Reviewer', help: 'Approves or rejects candidate datasets with an electronic signature.' },
  admin: { label: 'Administrator', help: 'Manages users and workspace settings. Cannot approve datasets.' },
};

interface Props {
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string | undefined;
  testIdPrefix: string;
  autoFocus?: boolean;
}

export function RolesField({ value, onChange, error, testIdPrefix, autoFocus = false }: Props) {
  return (
    <Checkbox.Group
      label="Roles"
      description="A person can hold several roles."
      value={value}
      onChange={(next) => onChange(ROLES.filter((r) => next.includes(r)))}
      error={error}
    >
      <Stack gap="sm" mt="xs">
        {ROLES.map((role, index) => (
          <Checkbox
            key={role}
            value={role}
            data-testid={`${testIdPrefix}${role}`}
            data-autofocus={autoFocus && index === 0 ? true : undefined}
            label={ROLE_HELP[role].label}
            description={ROLE_HELP[role].help}
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}
