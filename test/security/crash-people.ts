// Who works in the crash tests' workspace and what they type; no vitest import, so the child process can use it.
import { writeFileSync } from 'node:fs';

export const PASSWORDS = { ada: 'correct horse battery', sam: 'steward password 1', rita: 'reviewer password 1', remy: 'reviewer password 2', tmp: 'throwaway password 1' } as const;
export type Who = keyof typeof PASSWORDS;
/** What the child does, step by step; a life starts at another place of LOOP each time. */
export const KINDS = ['table', 'dicom', 'run', 'request', 'sign', 'export', 'reject', 'rekey'] as const;
export type Kind = (typeof KINDS)[number];
/** Half the steps take D's sign-off one step further (request, approve, export, reject, whichever is next). */
export const LOOP = ['table', 'signoff', 'dicom', 'signoff', 'run', 'signoff', 'rekey', 'signoff'] as const;
export const TINY_TVAE = { kind: 'tvae' as const, epochs: 2, batchSize: 64, embeddingDim: 8, hiddenDims: [16, 16], learningRate: 1e-3, l2scale: 1e-5, lossFactor: 2, checkpointEvery: 1 };

/** A CSV of `n` rows the child and the fixture import (distinct per `i`). */
export function visitsCsv(path: string, i: number, n = 300): void {
  const rows = Array.from({ length: n }, (_, r) => `${r},${(r * 7 + i) % 90},${r % 3 === 0 ? 'a' : r % 3 === 1 ? 'b' : 'c'},${(r * 0.37 + i).toFixed(2)}`);
  writeFileSync(path, `id,age,group,score\n${rows.join('\n')}\n`);
}

/** What a reviewer types to approve D for its tier (an exception when its validation failed). */
export function approval(verdict: 'pass' | 'fail', requestId: number, password: string) {
  return {
    requestId,
    meaning: 'Approved for model development',
    comment: 'Checked the card and the report.',
    ...(verdict === 'fail' ? { exception: 'A crash test of the pipeline; never used to train a model.' } : {}),
    password,
  };
}
