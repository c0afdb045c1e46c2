import { Badge, Group } from '@mantine/core';
import type { Role } from '../../../electron/shared/contract';

export const ROLE_COLORS: Record<Role, string> = { steward: 'blue', reviewer: 'grape', admin: 'orange' };

export function RoleBadges({ roles, wrap = false }: { roles: readonly Role[]; wrap?: boolean }) {
  return (
    <Group gap={4} wrap={wrap ? 'wrap' : 'nowrap'}>
      {roles.map((role) => (
        <Badge key={role} color={ROLE_COLORS[role]} variant="light" size="sm" miw="max-content">
          {role}
        </Badge>
      ))}
    </Group>
  );
}
