import { Center, Loader } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../electron/shared/contract';
import { api, onAuthLost } from './api';
import { ChoosePasswordScreen } from './screens/ChoosePasswordScreen';
import { CreateWorkspaceScreen } from './screens/CreateWorkspaceScreen';
import { LockScreen } from './screens/LockScreen';
import { Shell } from './shell/Shell';

type View =
  | { kind: 'starting' }
  | { kind: 'lock'; notice: string | null }
  | { kind: 'create'; path: string }
  | { kind: 'shell'; session: SessionInfo }
  | { kind: 'choose-password'; session: SessionInfo };

// A session whose password an admin set can do nothing but choose a new one, so it opens on that screen.
const sessionView = (session: SessionInfo): View => (session.mustChangePassword ? { kind: 'choose-password', session } : { kind: 'shell', session });

type LockReason = 'manual' | 'idle' | 'ended';

function noticeFor(reason: LockReason, idleMinutes: number): string | null {
  if (reason === 'idle') return `Airlock locked after ${idleMinutes} ${idleMinutes === 1 ? 'minute' : 'minutes'} without activity.`;
  if (reason === 'ended') return 'Your session has ended. Unlock the workspace to continue.';
  return null;
}

export function App() {
  const [view, setView] = useState<View>({ kind: 'starting' });

  // A session that survives a reload goes straight to the shell.
  useEffect(() => {
    let cancelled = false;
    api.session
      .status()
      .then(({ session }) => {
        if (!cancelled) setView(session ? sessionView(session) : { kind: 'lock', notice: null });
      })
      .catch(() => {
        if (!cancelled) setView({ kind: 'lock', notice: null });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const lock = useCallback((reason: LockReason) => {
    setView((prev) => (prev.kind === 'shell' || prev.kind === 'choose-password' ? { kind: 'lock', notice: noticeFor(reason, prev.session.idleTimeoutMinutes) } : prev));
  }, []);

  useEffect(() => onAuthLost((code) => lock(code === 'SESSION_EXPIRED' ? 'idle' : 'ended')), [lock]);

  const onIdleLocked = useCallback((idled: boolean) => lock(idled ? 'idle' : 'ended'), [lock]);
  const onSessionRefreshed = useCallback((session: SessionInfo) => {
    setView((prev) => (prev.kind === 'shell' && JSON.stringify(prev.session) !== JSON.stringify(session) ? { kind: 'shell', session } : prev));
  }, []);
  const onUnlocked = useCallback((session: SessionInfo) => setView(sessionView(session)), []);

  const onLockRequested = useCallback(async () => {
    try {
      await api.session.logout();
    } catch {
      // Lock the screen even so: leaving the data on display is worse, and main's idle timer still ends the session.
    }
    lock('manual');
  }, [lock]);

  switch (view.kind) {
    case 'starting':
      return (
        <Center h="100%">
          <Loader aria-label="Starting Airlock" />
        </Center>
      );
    case 'lock':
      return <LockScreen notice={view.notice} onUnlocked={onUnlocked} onCreate={(path) => setView({ kind: 'create', path })} />;
    case 'create':
      return <CreateWorkspaceScreen initialPath={view.path} onCreated={onUnlocked} onCancel={() => setView({ kind: 'lock', notice: null })} />;
    case 'choose-password':
      return <ChoosePasswordScreen session={view.session} onChosen={onUnlocked} onLogout={() => void onLockRequested()} />;
    case 'shell':
      return (
        <Shell
          session={view.session}
          onLock={() => void onLockRequested()}
          onIdleLocked={onIdleLocked}
          onSessionRefreshed={onSessionRefreshed}
        />
      );
  }
}
