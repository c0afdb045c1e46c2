import { AppShell, Badge, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SessionInfo } from '../../../electron/shared/contract';
import { api } from '../api';
import { setLastWorkspace } from '../storage';
import { SuccessAlert } from '../components/SuccessAlert';
import { ApprovalsPage } from '../pages/approvals/ApprovalsPage';
import { useSignableCount } from '../pages/approvals/useSignableCount';
import { AuditPage } from '../pages/audit/AuditPage';
import { ExportPage } from '../pages/export/ExportPage';
import { PlaceholderPage } from '../pages/PlaceholderPage';
import { SettingsPage } from '../pages/SettingsPage';
import { SourcesPage } from '../pages/sources/SourcesPage';
import { SpecsPage } from '../pages/specs/SpecsPage';
import { TrainingPage } from '../pages/training/TrainingPage';
import { UsersPage } from '../pages/users/UsersPage';
import { ValidationPage } from '../pages/validation/ValidationPage';
import { VerifyPage } from '../pages/verify/VerifyPage';
import { useIdleLock } from '../useIdleLock';
import { ChangePasswordModal } from './ChangePasswordModal';
import { ShellHeader } from './ShellHeader';
import { PAGES } from './pages';
import type { PageDef, PageId } from './pages';

interface Props {
  session: SessionInfo;
  onLock: () => void;
  onIdleLocked: (idled: boolean) => void;
  onSessionRefreshed: (session: SessionInfo) => void;
}

export function Shell({ session, onLock, onIdleLocked, onSessionRefreshed }: Props) {
  const [pageId, setPageId] = useState<PageId>('audit');
  const [changingPassword, setChangingPassword] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [visit, setVisit] = useState(0);
  // The run to open when Training is reached from a spec's "Start training".
  const [openRunId, setOpenRunId] = useState<number | null>(null);
  useIdleLock(onIdleLocked, onSessionRefreshed);

  // A session restored after a reload never passed through the lock screen; remember its folder for the next unlock.
  useEffect(() => setLastWorkspace(session.workspacePath), [session.workspacePath]);

  useEffect(() => {
    api.app
      .info()
      .then((info) => setVersion(`${info.name} ${info.version}`))
      .catch(() => undefined);
  }, []);

  const isAdmin = session.roles.includes('admin');
  const signable = useSignableCount(session.roles.includes('reviewer'));
  const visible = PAGES.filter((p) => (isAdmin || !p.adminOnly) && (!p.roles || p.roles.some((r) => session.roles.includes(r))));
  // Roles can change under a running session; fall back to Audit rather than show a forbidden page.
  const page = visible.find((p) => p.id === pageId) ?? visible.find((p) => p.id === 'audit');

  // Clicking a nav link remounts its page (key={visit}), so it doubles as a refresh.
  const navigate = (id: PageId, runId: number | null = null) => {
    setNotice(null);
    setOpenRunId(runId);
    setPageId(id);
    setVisit((v) => v + 1);
  };

  return (
    <AppShell data-testid="app-shell" header={{ height: 60 }} navbar={{ width: 220, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <ShellHeader session={session} onLock={onLock} onChangePassword={() => setChangingPassword(true)} />
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          {(['Pipeline', 'Governance'] as const).map((section) => (
            <Stack key={section} gap={2} mb="md">
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={6} style={{ letterSpacing: 0.6 }}>
                {section}
              </Text>
              {visible
                .filter((p) => p.section === section)
                .map((p) => (
                  <NavLink
                    key={p.id}
                    data-testid={`nav-${p.id}`}
                    label={p.label}
                    leftSection={p.icon}
                    rightSection={
                      p.id === 'approvals' && signable.count > 0 ? (
                        <Badge size="sm" circle data-testid="nav-approvals-badge" aria-label={`${signable.count} to sign`}>
                          {signable.count}
                        </Badge>
                      ) : undefined
                    }
                    active={page?.id === p.id}
                    aria-current={page?.id === p.id ? 'page' : undefined}
                    onClick={() => navigate(p.id)}
                    variant="light"
                    style={{ borderRadius: 'var(--mantine-radius-md)' }}
                  />
                ))}
            </Stack>
          ))}
        </AppShell.Section>
        {version && (
          <AppShell.Section>
            <Text size="xs" c="dimmed" px="sm">
              {version}
            </Text>
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <Stack gap="lg" maw={1280}>
          <SuccessAlert message={notice} onClose={() => setNotice(null)} />
          {page && (
            <PageContent
              key={visit}
              page={page}
              session={session}
              onSessionRefreshed={onSessionRefreshed}
              openRunId={openRunId}
              onOpenRun={(runId) => navigate('training', runId)}
              onApprovalsChanged={signable.refresh}
            />
          )}
        </Stack>
      </AppShell.Main>
      <ChangePasswordModal
        opened={changingPassword}
        onClose={() => setChangingPassword(false)}
        onChanged={() => {
          setChangingPassword(false);
          setNotice('Your password was changed. Use the new one the next time you unlock Airlock.');
        }}
      />
    </AppShell>
  );
}

interface ContentProps {
  page: PageDef;
  session: SessionInfo;
  onSessionRefreshed: (s: SessionInfo) => void;
  openRunId: number | null;
  onOpenRun: (runId: number) => void;
  onApprovalsChanged: () => void;
}

function PageContent({ page, session, onSessionRefreshed, openRunId, onOpenRun, onApprovalsChanged }: ContentProps) {
  if (page.planned) return <PlaceholderPage page={page} planned={page.planned} />;
  switch (page.id) {
    case 'sources':
      return <SourcesPage session={session} />;
    case 'specs':
      return <SpecsPage session={session} onOpenRun={onOpenRun} />;
    case 'training':
      return <TrainingPage session={session} initialRunId={openRunId} />;
    case 'validation':
      return <ValidationPage session={session} />;
    case 'approvals':
      return <ApprovalsPage session={session} onChanged={onApprovalsChanged} />;
    case 'exports':
      return <ExportPage />;
    case 'verify':
      return <VerifyPage />;
    case 'users':
      return <UsersPage currentUser={session.username} />;
    case 'settings':
      return <SettingsPage onSaved={(idleTimeoutMinutes) => onSessionRefreshed({ ...session, idleTimeoutMinutes })} />;
    default:
      return <AuditPage />;
  }
}
