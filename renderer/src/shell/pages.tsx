import type { ReactNode } from 'react';
import type { Role } from '../../../electron/shared/contract';
import {
  ApprovalsIcon,
  AuditIcon,
  ExportsIcon,
  SettingsIcon,
  ShieldIcon,
  SourcesIcon,
  SpecsIcon,
  TrainingIcon,
  UsersIcon,
  ValidationIcon,
} from '../components/icons';

export type PageId = 'sources' | 'specs' | 'training' | 'validation' | 'approvals' | 'exports' | 'verify' | 'audit' | 'users' | 'settings';

export interface PageDef {
  id: PageId;
  label: string;
  icon: ReactNode;
  section: 'Pipeline' | 'Governance';
  adminOnly?: boolean;
  // Shown only to holders of one of these roles (the channels behind the page refuse everyone else).
  roles?: readonly Role[];
  // Areas not built yet: what they will do, shown on their placeholder page.
  planned?: { tagline: string; description: string };
}

export const PAGES: readonly PageDef[] = [
  { id: 'sources', label: 'Sources', icon: <SourcesIcon />, section: 'Pipeline' },
  { id: 'specs', label: 'Specs', icon: <SpecsIcon />, section: 'Pipeline' },
  { id: 'training', label: 'Training', icon: <TrainingIcon />, section: 'Pipeline' },
  { id: 'validation', label: 'Validation', icon: <ValidationIcon />, section: 'Pipeline' },
  { id: 'approvals', label: 'Approvals', icon: <ApprovalsIcon />, section: 'Pipeline' },
  { id: 'exports', label: 'Export', icon: <ExportsIcon />, section: 'Pipeline', roles: ['steward'] },
  { id: 'verify', label: 'Verify bundle', icon: <ShieldIcon />, section: 'Governance' },
  { id: 'audit', label: 'Audit', icon: <AuditIcon />, section: 'Governance' },
  { id: 'users', label: 'Users', icon: <UsersIcon />, section: 'Governance', adminOnly: true },
  { id: 'settings', label: 'Settings', icon: <SettingsIcon />, section: 'Governance', adminOnly: true },
];
