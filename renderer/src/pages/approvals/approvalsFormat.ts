// Labels and colours for approval requests, shared by the inbox, the review screen, request status and export.
import type { RequestStatus, RequestView } from '../../../../electron/shared/approval-schemas';
import { TIER_LABELS } from '../../../../electron/shared/criteria';

export const STATUS: Record<RequestStatus, { label: string; color: string }> = {
  pending: { label: 'Pending', color: 'blue' },
  approved: { label: 'Approved', color: 'teal' },
  rejected: { label: 'Rejected', color: 'red' },
  retired: { label: 'Retired', color: 'gray' },
};

export const tierLabel = (tier: RequestView['tier']): string => TIER_LABELS[tier];

/** "Pending · 0 of 2 approvals", "Approved", … */
export function statusText(r: Pick<RequestView, 'status' | 'approvals' | 'requiredApprovals'>): string {
  if (r.status !== 'pending') return STATUS[r.status].label;
  return `Pending · ${r.approvals} of ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'}`;
}

/** Approving meanings are "Approved for …"; the one other meaning is the rejection. */
export const isApproval = (meaning: string): boolean => meaning.startsWith('Approved');

export function datasetLabel(r: Pick<RequestView, 'datasetId' | 'datasetVersion' | 'specName' | 'runId'>): string {
  return `${r.specName} · dataset #${r.datasetId} v${r.datasetVersion} (run #${r.runId})`;
}

/** A UTC time as signatures print it: "2026-11-22 09:00:00 UTC". */
export function utc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
