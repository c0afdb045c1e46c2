// `airlock spec …`: draft, create (from a JSON file), show and diff generation specs.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { AirlockError } from '../core/errors';
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

export function addSpecCommands(program: Command, globals: Globals): void {
  const spec = program.command('spec').description('generation specs: what to synthesise, how, and the acceptance criteria');
  spec
    .command('draft')
    .requiredOption('--table <id>', 'the source table (see `airlock sources`)')
    .description('print a starting spec as JSON (identifying columns dropped); edit it, then `spec create`')
    .action(async (o: { table: string }) => {
      const g = globals();
      const draft = await withSession(g, (svc) => svc.call('specs:draft', { tableId: wholeNumber('--table', o.table) }));
      process.stdout.write(`${JSON.stringify(draft, null, 2)}\n`);
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
        return `Spec #${got.current.specId} version ${got.current.version} (sha256 ${got.current.hash})\n${JSON.stringify(got.current.spec, null, 2)}\nVersions:\n${versions}`;
      });
    });
  spec.command('diff <id> <from> <to>').action(async (id: string, from: string, to: string) => {
    const g = globals();
    const changes = await withSession(g, (svc) => svc.call('specs:diff', { specId: wholeNumber('The spec', id), from: wholeNumber('The first version', from), to: wholeNumber('The second version', to) }));
    print(g, changes, () => changes.map((c) => `${c.kind.padEnd(8)} ${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('\n') || 'No changes.');
  });
}
