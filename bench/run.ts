// `npm run bench [-- section …] [--pairs N] [--warmup N] [--json FILE] [--quick] [--profile]`: speed and memory
// figures, each beside a reference measured in the same run, the two sides alternated (A B A B …, warm-ups not
// counted) by bench/harness.ts, one table per section; `--json` writes every figure with the machine it ran on.
//   ingest      512×512 CT series: Airlock import vs pydicom read (files/s, MB/s, peak RSS; own processes)
//   render      one slice cold, warm, as a thumbnail
//   generators  copula, transformer; matmul GFLOP/s and TVAE/CTGAN train/sample vs PyTorch CPU, one thread each,
//               with the matmul floor under each model figure (--profile: kernels)
//   dcgan, cvae 64×64 image generators' steps/s vs PyTorch CPU (as shipped and sub-pixel ConvT)
//   validate    the full validation, stage by stage, vs scipy/sklearn
//   dcr         exact Gower nearest neighbours and privacyDistances vs sklearn
//   images      memorisation of image sets vs numpy (bench/validate-images.ts, when present)
//   lag         main-thread event-loop lag while a training run and an import run
//   scaling     training time against rows and columns, DCR against n, ingest against files
// Sizes: BENCH_SLICES, BENCH_ROWS, BENCH_SECONDS, BENCH_VALIDATE_ROWS, BENCH_DCR_ROWS, BENCH_DCR_PRIVACY_ROWS.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SectionContext, type BenchContext } from './context';
import { benchGenerators } from './generators';
import { formatSides, formatTable, machine, parseArgs, writeReport, type CliOptions, type Figure } from './harness';
import { benchCvae, benchDcgan } from './image/dcgan';
import { benchIngest, benchRender } from './ingest';
import { benchLag } from './lag';
import { benchScaling } from './scaling';
import { benchDcr } from './validate-dcr';
import { benchValidation } from './validate/full';

interface Section {
  id: string;
  title: string;
  run: (ctx: BenchContext) => Promise<void>;
}

async function benchImages(ctx: BenchContext): Promise<void> {
  const file = join(import.meta.dirname, 'validate-images.ts');
  if (!existsSync(file)) {
    ctx.note('bench/validate-images.ts is not there yet: nothing to measure.');
    return;
  }
  const mod = (await import(pathToFileURL(file).href)) as { benchMemorisation?: () => Promise<void> };
  if (!mod.benchMemorisation) throw new Error('bench/validate-images.ts exports no benchMemorisation()');
  await mod.benchMemorisation();
  ctx.note('(printed by bench/validate-images.ts itself; its figures are not in the JSON file)');
}

const SECTIONS: Section[] = [
  { id: 'ingest', title: 'Ingest of a 512×512 CT series (each run in its own process)', run: benchIngest },
  { id: 'render', title: 'Rendering one 512×512 slice', run: benchRender },
  { id: 'generators', title: 'Tabular generators', run: benchGenerators },
  { id: 'dcgan', title: 'DCGAN training', run: benchDcgan },
  { id: 'cvae', title: 'Conv VAE training', run: benchCvae },
  { id: 'validate', title: 'Validation, stage by stage', run: benchValidation },
  { id: 'dcr', title: 'Exact DCR and privacy distances', run: benchDcr },
  { id: 'images', title: 'Image memorisation', run: benchImages },
  { id: 'lag', title: 'Main-process event-loop lag', run: benchLag },
  { id: 'scaling', title: 'Scaling', run: benchScaling },
];

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2), SECTIONS.map((s) => s.id));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
    return;
  }
  const chosen = opts.sections.length ? SECTIONS.filter((s) => opts.sections.includes(s.id)) : SECTIONS;
  const m = machine();
  console.log(`Airlock bench ${m.date}: ${m.cores} × ${m.cpuModel}, ${m.totalMemoryMb} MB, load ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}, node ${m.node}, ${m.gitCommit.slice(0, 10)}${m.gitDirty ? ' (uncommitted changes)' : ''}`);
  console.log(`${opts.warmup} warm-up run(s) per side, then ${opts.pairs} alternating pair(s); medians; ratio = median of the pairwise ratios, > 1 = Airlock better (↓: lower is better)`);
  const figures: Figure[] = [];
  const failed: string[] = [];
  for (const [i, s] of chosen.entries()) {
    console.log(`\n${i + 1}. ${s.title} [${s.id}]`);
    const ctx = new SectionContext(s.id, opts);
    const t0 = performance.now();
    try {
      await s.run(ctx);
    } catch (err) {
      failed.push(s.id);
      console.log(`   FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (ctx.figures.length) {
      console.log(formatTable(ctx.figures).replace(/^/gm, '   '));
      console.log(formatSides(ctx.figures));
    }
    for (const n of ctx.notes) console.log(`   ${n}`);
    console.log(`   (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    figures.push(...ctx.figures);
  }
  if (opts.json) {
    writeReport(opts.json, { machine: m, options: { pairs: opts.pairs, warmup: opts.warmup, quick: opts.quick, sections: chosen.map((s) => s.id) }, figures });
    console.log(`\n${figures.length} figures written to ${opts.json}`);
  }
  if (failed.length) {
    console.log(`\nSections that failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
