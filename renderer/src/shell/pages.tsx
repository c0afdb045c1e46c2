import type { ReactNode } from 'react';
import {
  ApprovalsIcon,
  AuditIcon,
  ExportsIcon,
  SettingsIcon,
  SourcesIcon,
  SpecsIcon,
  TrainingIcon,
  UsersIcon,
  ValidationIcon,
} from '../components/icons';

export type PageId = 'sources' | 'specs' | 'training' | 'validation' | 'approvals' | 'exports' | 'audit' | 'users' | 'settings';

export interface PageDef {
  id: PageId;
  label: string;
  icon: ReactNode;
  section: 'Pipeline' | 'Governance';
  adminOnly?: boolean;
  // Areas not built yet: what they will do, shown on their placeholder page.
  planned?: { tagline: string; description: string };
}

export const PAGES: readonly PageDef[] = [
  { id: 'sources', label: 'Sources', icon: <SourcesIcon />, section: 'Pipeline' },
  { id: 'specs', label: 'Specs', icon: <SpecsIcon />, section: 'Pipeline' },
  { id: 'training', label: 'Training', icon: <TrainingIcon />, section: 'Pipeline' },
  { id: 'validation', label: 'Validation', icon: <ValidationIcon />, section: 'Pipeline' },
  {
    id: 'approvals',
    label: 'Approvals',
    icon: <ApprovalsIcon />,
    section: 'Pipeline',
    planned: {
      tagline: 'Reviewer decisions on candidate datasets.',
      description: 'Reviewers sign off or reject candidate datasets with an electronic signature that names the person, the time and the meaning of the signature.',
    },
  },
  {
    id: 'exports',
    label: 'Exports',
    icon: <ExportsIcon />,
    section: 'Pipeline',
    planned: {
      tagline: 'Approved synthetic data leaving the workspace.',
      description: 'Export approved synthetic data as signed bundles that anyone can verify offline, together with their validation evidence.',
    },
  },
  { id: 'audit', label: 'Audit', icon: <AuditIcon />, section: 'Governance' },
  { id: 'users', label: 'Users', icon: <UsersIcon />, section: 'Governance', adminOnly: true },
  { id: 'settings', label: 'Settings', icon: <SettingsIcon />, section: 'Governance', adminOnly: true },
];
