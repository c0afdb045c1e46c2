import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { UserView } from '../../../../electron/shared/contract';
import { RoleBadges } from '../../components/RoleBadges';
import { formatDateTime, formatTime, isFuture } from '../../format';

export type UserAction = 'disable' | 'enable' | 'reset' | 'roles';

interface Props {
  users: UserView[];
  currentUser: string;
  onAction: (action: UserAction, user: UserView) => void;
}

export function UsersTable({ users, currentUser, onAction }: Props) {
  return (
    <Table.ScrollContainer minWidth={900} type="native">
    <Table striped highlightOnHover fz="sm" verticalSpacing="sm" horizontalSpacing="sm" data-testid="users-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>User</Table.Th>
          <Table.Th>Roles</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Last login</Table.Th>
          <Table.Th>Created by</Table.Th>
          <Table.Th ta="right">Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {users.map((user) => (
          <UserRow key={user.username} user={user} isSelf={user.username === currentUser} onAction={onAction} />
        ))}
      </Table.Tbody>
    </Table>
    </Table.ScrollContainer>
  );
}

function UserRow({ user, isSelf, onAction }: { user: UserView; isSelf: boolean; onAction: Props['onAction'] }) {
  const active = user.status === 'active';
  const act = (action: UserAction) => () => onAction(action, user);
  return (
    <Table.Tr data-testid={`user-row-${user.username}`} c={active ? undefined : 'dimmed'}>
      {/* Full name over user name keeps room for the row actions on a 1280-pixel screen. */}
      <Table.Td>
        <Text size="sm" fw={600} c={active ? undefined : 'dimmed'} data-testid="user-displayname">
          {user.displayName}
          {isSelf && (
            <Text span size="xs" c="dimmed" fw={400}>
              {' '}
              (you)
            </Text>
          )}
        </Text>
        <Text size="xs" c="dimmed" data-testid="user-username">
          {user.username}
        </Text>
      </Table.Td>
      <Table.Td>
        <RoleBadges roles={user.roles} wrap />
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <Badge color={active ? 'teal' : 'gray'} variant={active ? 'light' : 'outline'} size="sm" data-testid="user-status" miw="max-content">
            {user.status}
          </Badge>
          {user.lockedUntil && isFuture(user.lockedUntil) && (
            <Text size="xs" c="orange.8" title={user.lockedUntil} data-testid="user-locked">
              Locked until {formatTime(user.lockedUntil)}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td title={user.lastLoginAt ?? undefined}>
        {user.lastLoginAt ? formatTime(user.lastLoginAt) : <Text span size="sm" c="dimmed">Never</Text>}
      </Table.Td>
      <Table.Td title={`Created ${formatDateTime(user.createdAt)}`}>
        {user.createdBy ?? (
          <Text span size="sm" c="dimmed">
            Workspace setup
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="compact-xs" fz="sm" variant="subtle" onClick={act('roles')} data-testid={`user-roles-${user.username}`}>
            Roles…
          </Button>
          {active && (
            <Button size="compact-xs" fz="sm" variant="subtle" onClick={act('reset')} data-testid={`user-reset-${user.username}`}>
              Reset password…
            </Button>
          )}
          {active ? (
            <Tooltip label="You cannot disable your own account." disabled={!isSelf} withArrow>
              {/* A disabled button gets no pointer events, so the tooltip needs a wrapper. */}
              <span>
                <Button size="compact-xs" fz="sm" variant="subtle" color="red" disabled={isSelf} onClick={act('disable')} data-testid={`user-disable-${user.username}`}>
                  Disable…
                </Button>
              </span>
            </Tooltip>
          ) : (
            <Button size="compact-xs" fz="sm" variant="subtle" onClick={act('enable')} data-testid={`user-enable-${user.username}`}>
              Enable…
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
