// The dataset card as one self-contained HTML page (no script, no outside resource, every text escaped),
// printable to A4 by Chromium: identity and hash first, then the approvals signed over that hash, then every
// section, generated parts marked as not editable and steward sections as written by the steward.
import { GENERATED_SECTION_TITLES as T, type CardCriterion, type CardSignature, type DatasetCard } from '../../../shared/card-schema';
import { PRINT_BASE_CSS, escapeHtml as e } from '../../validate/report/html';
import { cardContent } from './build';

const GENERATED = '<p class="origin generated">Generated from lineage and results — not editable.</p>';

const para = (lines: string[]): string => lines.map((l) => `<p>${e(l)}</p>`).join('\n');
const list = (items: string[], cls = ''): string => (items.length ? `<ul${cls ? ` class="${cls}"` : ''}>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>` : '<p class="small">None.</p>');
const facts = (rows: [string, string | number | null][]): string =>
  `<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v === null ? '—' : String(v))}</td></tr>`).join('')}</tbody></table>`;
const grid = (caption: string, head: string[], rows: string[][]): string =>
  rows.length
    ? `<table class="data"><caption>${e(caption)}</caption><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`
    : '';

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" class="card-section"><h2>${e(title)}</h2>\n${GENERATED}\n${body}\n</section>`;
}

const STATUS: Record<CardCriterion['status'], string> = { pass: 'PASS', fail: 'FAIL', 'not-applicable': 'N/A' };

function criteriaTable(criteria: CardCriterion[]): string {
  const rows = criteria
    .map((c) => `<tr class="${c.status}"><td><div>${e(c.sentence)}</div><div class="small id">${e(c.id)}</div>${c.note ? `<div class="small">${e(c.note)}</div>` : ''}</td><td class="num">${e(c.measured)}</td><td class="num">${e(c.threshold)}</td><td><span class="badge ${c.status}">${STATUS[c.status]}</span>${c.straddles ? '<div class="small">Interval straddles the threshold</div>' : ''}</td></tr>`)
    .join('\n');
  return `<table class="criteria"><thead><tr><th>Criterion</th><th>Measured</th><th>Threshold</th><th>Result</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function signaturesHtml(signatures: CardSignature[], policy: { requiredApprovals: number } | null): string {
  const valid = signatures.filter((s) => s.revoked === null && /^approved/i.test(s.meaning));
  const need = policy
    ? `<p>This release tier’s policy needs ${policy.requiredApprovals} approval${policy.requiredApprovals === 1 ? '' : 's'} from distinct reviewers; ${valid.length} valid approval${valid.length === 1 ? ' is' : 's are'} recorded.</p>`
    : '<p>No approval policy applies yet: approval has not been requested.</p>';
  const items = signatures
    .map((s) => {
      const exception = s.exception ? `<p class="exception"><strong>Justified exception:</strong> ${e(s.exception)}</p>` : '';
      const revoked = s.revoked
        ? `<p class="revoked"><strong>REVOKED</strong> by ${e(s.revoked.printedName)} (${e(s.revoked.by)}) at ${e(s.revoked.at)} UTC. Reason: ${e(s.revoked.reason)}</p>`
        : '';
      return `<li class="signature${s.revoked ? ' is-revoked' : ''}"><p class="meaning">${e(s.meaning)}</p><p>Signed by <strong class="printed-name">${e(s.printedName)}</strong> (${e(s.username)}) at <span class="signed-at">${e(s.signedAt)}</span> UTC</p><p>Comment: ${e(s.comment || '—')}</p>${exception}${revoked}<p class="small id">Key fingerprint ${e(s.keyFingerprint)}</p></li>`;
    })
    .join('\n');
  return `<section id="approvals"><h2>Approvals</h2><p class="small">Electronic signatures (Ed25519) over the card hash above, with the dataset, spec and result hashes, the tier, the meaning and the comment. They are not part of the card itself.</p>${need}${signatures.length ? `<ol class="signatures">${items}</ol>` : '<p>No signature yet.</p>'}</section>`;
}

function bodies(card: DatasetCard): string[] {
  const s = card.sections;
  const src = s.source;
  const pre = s.preprocessing;
  return [
    section('motivation', T.motivation, `${para(s.motivation.text)}${facts([['Release tier', s.motivation.tierLabel]])}`),
    section(
      'composition',
      T.composition,
      `${facts([['Records', `${s.composition.records} ${s.composition.unit}`], ['Each record', s.composition.recordMeaning]])}${para(s.composition.text)}${grid('Columns', ['column', 'type', 'treatment'], s.composition.columns.map((c) => [c.name, c.type ?? '—', c.treatment]))}`,
    ),
    section(
      'source',
      T.source,
      `${para(src.text)}${src.table ? grid('Source columns (no values)', ['column', 'type', 'treatment', 'identifying', 'years'], src.table.columnDetails.map((c) => [c.name, c.type, c.treatment ?? '—', c.identifying ? 'yes' : 'no', c.years ? `${c.years.from}–${c.years.to}` : '—'])) : ''}${src.dicom ? facts([['Patients (training / holdout)', `${src.dicom.patients} (${src.dicom.trainingPatients} / ${src.dicom.holdoutPatients})`], ['Studies', src.dicom.studies], ['Series', src.dicom.series], ['Instances', src.dicom.instances], ['Modalities', src.dicom.modalities.join(', ') || '—'], ['Study years', src.dicom.studyYears ? `${src.dicom.studyYears.from}–${src.dicom.studyYears.to}` : '—']]) : ''}${grid('Source files (by content hash)', ['SHA-256', 'bytes'], src.files.map((f) => [f.sha256, String(f.bytes)]))}`,
    ),
    section(
      'preprocessing',
      T.preprocessing,
      `${para(pre.text)}${grid('Column treatments', ['column', 'treatment'], pre.columns.map((c) => [c.name, c.treatment]))}${grid('Generator hyperparameters', ['name', 'value'], pre.generator.hyperparameters.map((h) => [h.name, h.value]))}${facts([['Generator', pre.generator.kind], ['Seed', pre.generator.seed], ['Backend', pre.backend ? `${pre.backend.name} (tfjs ${pre.backend.tfjsVersion ?? '—'}, backend ${pre.backend.backendVersion ?? '—'})` : 'plain JavaScript'], ['Training started (UTC)', pre.training.startedAt], ['Training finished (UTC)', pre.training.finishedAt], ['Duration (s)', pre.training.durationSeconds], ['Epochs', pre.training.epochs]])}`,
    ),
    section('validation', T.validation, `<p class="verdict ${s.validation.verdict}"><span class="badge ${s.validation.verdict}">${s.validation.verdict === 'pass' ? 'PASS' : 'FAIL'}</span> ${e(s.validation.headline)}</p>${para(s.validation.text)}${criteriaTable(s.validation.criteria)}`),
    section('limitations', T.limitations, list(card.limitations, 'limitations')),
    section(
      'uses',
      T.uses,
      `<h3>Intended uses</h3>${list(s.uses.intended)}<p>In the words of the spec: ${e(s.uses.specIntendedUse)}</p><h3>Prohibited uses</h3>${list([...s.uses.prohibited, ...s.uses.specProhibitedUses], 'prohibited')}`,
    ),
    section('distribution', T.distribution, `${facts([['Release tier', s.distribution.tierLabel]])}${para(s.distribution.text)}`),
    section('maintenance', T.maintenance, `${facts([['Contact', s.maintenance.contact]])}${para(s.maintenance.text)}`),
    section(
      'lineage',
      T.lineage,
      facts([
        ['Spec authors', card.lineage.specAuthors.join(', ')],
        ['Training started or resumed by', card.lineage.runStartedBy.join(', ')],
        ['Dataset version drawn by', card.lineage.datasetCreatedBy],
        ['Approval requested by', card.lineage.requestedBy],
      ]) + '<p class="small">None of these people can approve this dataset (separation of duties).</p>',
    ),
  ];
}

function stewardHtml(card: DatasetCard): string {
  return card.stewardSections
    .map((s, i) => `<section id="steward-${i + 1}" class="card-section steward"><h2>${e(s.title)}</h2><p class="origin steward">Written by the steward (${e(card.lineage.requestedBy)}); not checked by Airlock.</p><div class="free-text">${e(s.body)}</div></section>`)
    .join('\n');
}

const CSS = `${PRINT_BASE_CSS}
h2 { margin-bottom: 6px; break-after: avoid; }
h3 { font-size: 11pt; margin: 10px 0 4px; }
.small { font-size: 8.5pt; color: #555555; }
.id, .hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; word-break: break-all; }
.origin { font-size: 8.5pt; font-style: italic; margin: 0 0 6px; padding-left: 6px; }
.origin.generated { color: #555555; border-left: 3px solid #999999; }
.origin.steward { color: #7a4b00; border-left: 3px solid #c77700; }
.free-text { white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #dddddd; overflow-wrap: anywhere; }
thead th { background: #f2f2f2; border-bottom: 1px solid #999999; }
thead { display: table-header-group; }
tr, li.signature { break-inside: avoid; }
caption { text-align: left; font-weight: bold; padding: 4px 0; caption-side: top; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.facts th { width: 34%; font-weight: normal; color: #444444; }
table.criteria th:first-child { width: 46%; }
tr.fail td:first-child { border-left: 3px solid #b42318; }
.badge { display: inline-block; min-width: 3.4em; text-align: center; font-weight: bold; padding: 1px 6px; border-radius: 3px; border: 1px solid; }
.badge.pass { color: #1a7f37; border-color: #1a7f37; }
.badge.fail { color: #ffffff; background: #b42318; border-color: #b42318; }
.badge.not-applicable { color: #555555; border-color: #999999; }
ol.signatures { padding-left: 20px; }
li.signature { margin: 6px 0 10px; }
li.signature p { margin: 2px 0; }
.meaning { font-weight: bold; }
.exception { border-left: 3px solid #c77700; padding-left: 6px; }
.revoked { color: #b42318; }
li.is-revoked .meaning { text-decoration: line-through; }
footer { margin-top: 24px; border-top: 1px solid #cccccc; padding-top: 6px; }
@media print { main { max-width: none; padding: 0; } }
`;

/** Renders a card with the approvals signed over its hash as a complete, self-contained HTML page. */
export function renderCardHtml(card: DatasetCard, signatures: CardSignature[], policy: { requiredApprovals: number } | null): string {
  const { sha256 } = cardContent(card);
  const id = card.identity;
  const title = `Dataset card: ${id.specName}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${e(title)}</h1>
<p class="subtitle">Synthetic ${id.datasetKind === 'images' ? 'images' : 'table'}, dataset #${id.datasetId} version ${id.datasetVersion}, for ${e(card.sections.distribution.tierLabel.toLowerCase())}: ${id.verdict === 'pass' ? 'PASS' : 'FAIL'}.</p>
<p class="small">Card generated ${e(id.generatedAt)} UTC. Card SHA-256 <span class="hash">${sha256}</span></p>
</header>
<section id="identity"><h2>Identity</h2>${GENERATED}${facts([
    ['Dataset', `#${id.datasetId} v${id.datasetVersion} (${id.datasetKind}, ${id.rows} ${id.datasetKind === 'images' ? 'images' : 'rows'})`],
    ['Dataset SHA-256', id.datasetSha256],
    ['Spec', `#${id.specId} v${id.specVersion} “${id.specName}”`],
    ['Spec SHA-256', id.specHash],
    ['Validation', `#${id.validationId}, validator ${id.validatorVersion}, seed “${id.validationSeed}”`],
    ['Result SHA-256', id.resultSha256],
    ['Verdict', id.verdict === 'pass' ? 'PASS' : 'FAIL'],
    ['Release tier', card.sections.distribution.tierLabel],
  ])}</section>
${signaturesHtml(signatures, policy)}
${bodies(card).join('\n')}
${stewardHtml(card)}
<footer><p class="small">Card SHA-256 (of card/card.json, RFC 8785 canonical JSON): <span class="hash">${sha256}</span></p></footer>
</main>
</body>
</html>
`;
}
