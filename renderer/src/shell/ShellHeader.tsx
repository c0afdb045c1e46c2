import { Button, Group, Menu, Text, ThemeIcon, Tooltip, UnstyledButton } from '@mantine/core';
import type { SessionInfo } from '../../../electron/shared/contract';
import { ChevronDownIcon, FolderIcon, KeyIcon, LockIcon, ShieldIcon } from '../components/icons';
import { RoleBadges } from '../components/RoleBadges';

interface Props {
  session: SessionInfo;
  onLock: () => void;
  onChangePassword: () => void;
}

export function ShellHeader({ session, onLock, onChangePassword }: Props) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="lg">
      <Group gap="md" wrap="nowrap" miw={0}>
        <Group gap={8} wrap="nowrap">
          <ThemeIcon size={32} radius="md" variant="light">
            <ShieldIcon size={20} />
          </ThemeIcon>
          <Text fw={700} size="lg">
            Airlock
          </Text>
        </Group>
        <Tooltip label={session.workspacePath} openDelay={400} withArrow>
          <Group gap={6} wrap="nowrap" miw={0} maw={420} c="dimmed">
            <FolderIcon size={16} />
            <Text size="sm" truncate="start" data-testid="workspace-path">
              {/* truncate="start" works via rtl; the isolate keeps the path's own slashes in order */}
              <bdi dir="ltr">{session.workspacePath}</bdi>
            </Text>
          </Group>
        </Tooltip>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Menu position="bottom-end" width={220} withArrow>
          <Menu.Target>
            <UnstyledButton data-testid="user-menu" aria-label="Account" px={8} py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
              <Group gap="xs" wrap="nowrap">
                <div style={{ textAlign: 'right' }}>
                  <Text size="sm" fw={600} lh={1.2} data-testid="current-user">
                    {session.displayName}
                  </Text>
                  <Text size="xs" c="dimmed" lh={1.2}>
                    {session.username}
                  </Text>
                </div>
                <RoleBadges roles={session.roles} />
                <ChevronDownIcon size={14} />
              </Group>
            </UnstyledButton>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>Signed in as {session.username}</Menu.Label>
            <Menu.Item data-testid="menu-change-password" leftSection={<KeyIcon size={16} />} onClick={onChangePassword}>
              Change password
            </Menu.Item>
            <Menu.Item leftSection={<LockIcon size={16} />} onClick={onLock}>
              Lock workspace
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Button data-testid="lock-button" variant="default" leftSection={<LockIcon size={16} />} onClick={onLock}>
          Lock
        </Button>
      </Group>
    </Group>
  );
}
