// `airlock spec …`: draft, create (from a JSON file), show and diff generation specs, and the rules suggested for a table.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { AirlockError } from '../core/errors';
import { treatmentsText } from './date-command';
import type { Rule, RuleSuggestion } from '../shared/rules-schema';
import { describeRule, ruleColumns } from '../shared/rules-text';
import type { Spec } from '../shared/spec-schema';
import { optionalWhole, print, wholeNumber, withSession, type GlobalOptions } from './context';
import { table } from './format';

type Globals = () => GlobalOptions;

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AirlockError('INVALID_ARGUMENT', `Cannot read the spec file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Suggestions as a terminal table: the rule in words, the rows it was checked on, and why. */
export function suggestionsTable(suggestions: RuleSuggestion[]): string {
  if (suggestions.length === 0) return 'No rules hold in every training row of this table (beyond what the generators keep anyway).';
  const t = table({ head: ['#', 'rule', 'support', 'why'], wordWrap: true, colWidths: [4, 44, 11, 70] });
  suggestions.forEach((s, i) => t.push([i + 1, describeRule(s.rule), `${s.support} of ${s.rows}`, s.why]));
  return t.toString();
}

/** The spec's rules in words, one a line (for `spec show` and the demo). */
export function rulesText(rules: Rule[]): string {
  return rules.length === 0 ? 'Rules: none.' : `Rules (${rules.length}):\n${rules.map((r, i) => `  ${i + 1}. ${describeRule(r)}`).join('\n')}`;
}

/** The suggestions a draft can take: only rules over columns it synthesises or conditions on, not yet in it. */
export function acceptable(draft: Spec, suggestions: RuleSuggestion[]): Rule[] {
  const kept = new Set(draft.columns.filter((c) => c.treatment !== 'drop').map((c) => c.name));
  const have = new Set(draft.rules.map((r) => JSON.stringify(r)));
  return suggestions.map((s) => s.rule).filter((r) => ruleColumns(r).every((c) => kept.has(c)) && !have.has(JSON.stringify(r)));
}

export function addSpecCommands(program: Command, globals: Globals): void {
  const spec = program.command('spec').description('generation specs: what to synthesise, how, and the acceptance criteria');
  spec
    .command('draft')
    .requiredOption('--table <id>', 'the source table (see `airlock sources`)')
    .option('--accept-rules', 'put every suggested rule (see `spec rules`) over the columns it keeps into the draft')
    .description('print a starting spec as JSON (identifying columns dropped); edit it, then `spec create`')
    .action(async (o: { table: string; acceptRules?: boolean }) => {
      const g = globals();
      const tableId = wholeNumber('--table', o.table);
      const draft = await withSession(g, async (svc) => {
        const d = await svc.call('specs:draft', { tableId });
        return o.acceptRules ? { ...d, rules: [...d.rules, ...acceptable(d, await svc.call('specs:suggestRules', { tableId }))] } : d;
      });
      if (o.acceptRules && !g.json) process.stderr.write(`${rulesText(draft.rules)}\n`);
      process.stdout.write(`${JSON.stringify(draft, null, 2)}\n`);
    });
  spec
    .command('rules <table>')
    .description('the rules that hold in every training row of a table, strongest first (accept them with `spec draft --accept-rules`)')
    .action(async (id: string) => {
      const g = globals();
      const suggestions = await withSession(g, (svc) => svc.call('specs:suggestRules', { tableId: wholeNumber('The table', id) }));
      print(g, suggestions, () => suggestionsTable(suggestions));
    });
  spec
    .command('create <file>')
    .option('--spec <id>', 'save as the next version of this spec instead of a new one')
    .description('save a spec from a JSON file (a new version when --spec is given)')
    .action(async (file: string, o: { spec?: string }) => {
      const g = globals();
      const spec = readJson(file);
      const specId = optionalWhole('--spec', o.spec) ?? null;
      // An image spec names DICOM series as its source; a table spec names a table.
      const isImage = typeof spec === 'object' && spec !== null && (spec as { source?: { kind?: unknown } }).source?.kind === 'dicom';
      const saved = await withSession<{ specId: number; version: number; hash: string; spec: { name: string } }>(g, async (svc) =>
        isImage ? await svc.call('imagespecs:save', { specId, spec }) : await svc.call('specs:save', { specId, spec }),
      );
      print(g, saved, () => `Saved ${isImage ? 'image ' : ''}spec #${saved.specId} “${saved.spec.name}” version ${saved.version} (sha256 ${saved.hash}).`);
    });
  spec
    .command('list')
    .description('list table and image specs with their latest version')
    .action(async () => {
      const g = globals();
      const out = await withSession(g, async (svc) => ({ tables: await svc.call('specs:list', {}), images: await svc.call('imagespecs:list', {}) }));
      print(g, out, () => {
        const t = table({ head: ['#', 'kind', 'name', 'version', 'generator', 'source', 'updated'] });
        for (const x of out.tables) t.push([x.specId, 'table', x.name, `v${x.latestVersion} of ${x.versions}`, x.generator, `table #${x.tableId}`, x.updatedAt]);
        for (const x of out.images) t.push([x.specId, 'image', x.name, `v${x.latestVersion}`, x.generator, `series ${x.seriesIds.map((i) => `#${i}`).join(', ')}`, x.updatedAt]);
        return out.tables.length + out.images.length === 0 ? 'No specs yet: `airlock spec draft --table N` starts one.' : t.toString();
      });
    });
  spec
    .command('show <id>')
    .option('--version <n>', 'a specific version (default: the latest)')
    .action(async (id: string, o: { version?: string }) => {
      const g = globals();
      const got = await withSession(g, (svc) => svc.call('specs:get', { specId: wholeNumber('The spec', id), version: optionalWhole('--version', o.version) }));
      print(g, got, () => {
        const versions = got.versions.map((v) => `  v${v.version}  ${v.createdAt}  ${v.createdBy}  ${v.frozen ? 'frozen' : 'editable'}  ${v.hash.slice(0, 16)}`).join('\n');
        return `Spec #${got.current.specId} version ${got.current.version} (sha256 ${got.current.hash})\n${JSON.stringify(got.current.spec, null, 2)}\n${treatmentsText(got.current.spec)}\n${rulesText(got.current.spec.rules)}\nVersions:\n${versions}`;
      });
    });
  spec.command('diff <id> <from> <to>').action(async (id: string, from: string, to: string) => {
    const g = globals();
    const changes = await withSession(g, (svc) => svc.call('specs:diff', { specId: wholeNumber('The spec', id), from: wholeNumber('The first version', from), to: wholeNumber('The second version', to) }));
    print(g, changes, () => changes.map((c) => `${c.kind.padEnd(8)} ${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('\n') || 'No changes.');
  });
}
