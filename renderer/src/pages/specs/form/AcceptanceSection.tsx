import { Badge, Button, Divider, Group, MultiSelect, Paper, Select, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { CRITERIA, TIER_LABELS, resolveCriteria, type CriterionDef, type ReleaseTier, type ResolvedCriterion } from '../../../../../electron/shared/criteria';
import { criteriaOverrides, type Spec } from '../../../../../electron/shared/spec-schema';
import { CRITERION_FAMILIES, EVALUATION_HELP, TIER_HELP, TIER_OPTIONS, UTILITY_TARGET_HELP } from '../specFields';
import { NumField } from './NumField';
import { Section } from './Section';

interface Props {
  draft: Spec;
  readOnly: boolean;
  errorAt: (path: string) => string | undefined;
  update: (change: (draft: Spec) => Spec) => void;
}

const WHEN: Record<NonNullable<CriterionDef['when']>, { hint: string; applies: (d: Spec) => boolean }> = {
  target: { hint: 'Checked only when a utility target column is chosen.', applies: (d) => d.acceptance.utility.target !== null },
  stratify: { hint: 'Checked only when stratification columns are declared below.', applies: (d) => d.evaluation.stratifyBy.length > 0 },
  linkability: { hint: 'Checked only with at least two quasi-identifiers.', applies: (d) => d.evaluation.quasiIdentifiers.length >= 2 },
  inference: { hint: 'Checked only when sensitive columns and quasi-identifiers are declared.', applies: (d) => d.evaluation.sensitive.length > 0 && d.evaluation.quasiIdentifiers.length > 0 },
};

// A criterion's value is stored in `criteria` only while it differs from the tier's default (or must outvote a
// changed threshold an old spec kept in `acceptance`); NaN stays stored so the field can say "Enter a number".
function setCriterion(draft: Spec, id: string, value: number): Spec {
  const { [id]: _old, ...rest } = draft.criteria;
  const tierDefault = CRITERIA.find((c) => c.id === id)?.defaults[draft.tier];
  const legacy = criteriaOverrides({ ...draft, criteria: rest })[id];
  if (value === tierDefault && legacy === undefined) return { ...draft, criteria: rest };
  return { ...draft, criteria: { ...rest, [id]: value } };
}

// Overrides that equal the new tier's default are no longer changes.
function setTier(draft: Spec, tier: ReleaseTier): Spec {
  let next: Spec = { ...draft, tier };
  for (const [id, v] of Object.entries(draft.criteria)) next = setCriterion(next, id, v);
  return next;
}

export function AcceptanceSection({ draft, readOnly, errorAt, update }: Props) {
  // NaN (a field being typed) is left out of the resolution so the sentence keeps a readable threshold.
  const overrides = Object.fromEntries(Object.entries(criteriaOverrides(draft)).filter(([, v]) => Number.isFinite(v)));
  const resolved = resolveCriteria(draft.tier, overrides);
  const changedCount = resolved.filter((c) => c.changed).length + Object.values(draft.criteria).filter((v) => !Number.isFinite(v)).length;
  const target = draft.acceptance.utility.target;
  const targets = keptColumns(draft);
  if (target && !targets.includes(target)) targets.push(target);

  return (
    <Section
      title="Release tier and acceptance criteria"
      description="What the synthetic data is for decides how strict validation is. The tier brings a default threshold for every criterion; change one and it is marked as changed from the tier default."
    >
      <Stack gap="lg">
        <div>
          <Text size="sm" fw={500} mb={6}>
            Release tier
          </Text>
          <SegmentedControl
            data-testid="spec-tier"
            data={TIER_OPTIONS}
            value={draft.tier}
            readOnly={readOnly}
            onChange={(v) => !readOnly && update((d) => setTier(d, v))}
          />
          <Text size="sm" c="dimmed" mt={6} data-testid="spec-tier-help">
            {TIER_LABELS[draft.tier]}: {TIER_HELP[draft.tier]}
          </Text>
          <Group gap="xs" mt={6}>
            <Text size="sm" data-testid="spec-criteria-changed-count">
              {changedCount === 0 ? 'All criteria at the tier defaults.' : `${changedCount} ${changedCount === 1 ? 'criterion' : 'criteria'} changed from the tier defaults.`}
            </Text>
            {changedCount > 0 && !readOnly && (
              <Button size="compact-xs" variant="subtle" data-testid="spec-criteria-reset-all" onClick={() => update((d) => CRITERIA.reduce((acc, c) => setCriterion(acc, c.id, c.defaults[acc.tier]), d))}>
                Reset all to the tier defaults
              </Button>
            )}
          </Group>
        </div>
        {CRITERION_FAMILIES.map((g) => (
          <Stack key={g.id} gap="sm" data-testid={`spec-criteria-${g.id}`}>
            <Divider />
            <div>
              <Text fw={650}>{g.title}</Text>
              <Text size="sm" c="dimmed">
                {g.lead}
              </Text>
            </div>
            {g.id === 'utility' && (
              <Select
                data-testid="spec-utility-target"
                label="Target column"
                description={UTILITY_TARGET_HELP}
                placeholder="No utility test"
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                data={targets}
                value={target}
                clearable
                searchable
                maw={420}
                readOnly={readOnly}
                error={errorAt('acceptance.utility.target')}
                onChange={(v) => update((d) => ({ ...d, acceptance: { ...d.acceptance, utility: { ...d.acceptance.utility, target: v } } }))}
              />
            )}
            {resolved
              .filter((c) => c.family === g.id)
              .map((c) => (
                <CriterionRow key={c.id} criterion={c} draft={draft} readOnly={readOnly} error={errorAt(`criteria.${c.id}`)} onChange={(v) => update((d) => setCriterion(d, c.id, v))} />
              ))}
          </Stack>
        ))}
      </Stack>
    </Section>
  );
}

interface RowProps {
  criterion: ResolvedCriterion;
  draft: Spec;
  readOnly: boolean;
  error: string | undefined;
  onChange: (value: number) => void;
}

function CriterionRow({ criterion: c, draft, readOnly, error, onChange }: RowProps) {
  const def = CRITERIA.find((d) => d.id === c.id) as CriterionDef | undefined;
  const stored = draft.criteria[c.id];
  const value = stored ?? c.threshold;
  const changed = c.changed || (stored !== undefined && !Number.isFinite(stored));
  const when = def?.when ? WHEN[def.when] : null;
  const inactive = when !== null && !when.applies(draft);
  return (
    <Paper withBorder radius="sm" p="sm" data-testid={`spec-criterion-${c.id}`} data-changed={changed} bg={changed ? 'indigo.0' : undefined}>
      <Group align="flex-start" justify="space-between" wrap="nowrap" gap="md">
        <div style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs" mb={2}>
            <Text size="sm" fw={600}>
              {c.label}
            </Text>
            {changed && (
              <Badge size="sm" color="indigo" variant="light" tt="none" data-testid={`spec-criterion-changed-${c.id}`}>
                changed from the tier default
              </Badge>
            )}
            {inactive && (
              <Badge size="sm" color="gray" variant="outline" tt="none">
                not checked with these settings
              </Badge>
            )}
          </Group>
          <Text size="sm" data-testid={`spec-criterion-sentence-${c.id}`}>
            {c.sentence}
          </Text>
          {when && (
            <Text size="xs" c="dimmed" mt={2}>
              {when.hint}
            </Text>
          )}
        </div>
        <Stack gap={4} w={170} style={{ flex: 'none' }}>
          <NumField
            data-testid={`spec-crit-${c.id}`}
            aria-label={`${c.label} threshold`}
            size="sm"
            value={value}
            readOnly={readOnly}
            error={error}
            description={`Tier default ${c.tierDefault}${def ? ` (${def.range[0]}–${def.range[1]})` : ''}`}
            onChange={onChange}
          />
          {changed && !readOnly && (
            <Button size="compact-xs" variant="subtle" data-testid={`spec-criterion-reset-${c.id}`} onClick={() => onChange(c.tierDefault)}>
              Reset to {c.tierDefault}
            </Button>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}

function keptColumns(draft: Spec): string[] {
  return draft.columns.filter((c) => c.treatment !== 'drop').map((c) => c.name);
}

// Which columns the subgroup checks and the privacy attacks use; only columns the synthetic table keeps.
export function EvaluationSection({ draft, readOnly, errorAt, update }: Props) {
  const kept = keptColumns(draft);
  const ev = draft.evaluation;
  const setEv = (patch: Partial<Spec['evaluation']>) => update((d) => ({ ...d, evaluation: { ...d.evaluation, ...patch } }));
  // Names already chosen stay listed, so a column dropped later still shows (with the server's error) and can be removed.
  const options = (chosen: string[]) => [...kept, ...chosen.filter((n) => !kept.includes(n))];
  const dropped = (chosen: string[]) => chosen.filter((n) => !kept.includes(n));
  const droppedMessage = (chosen: string[]) => {
    const d = dropped(chosen);
    return d.length > 0 ? `${d.map((n) => `“${n}”`).join(', ')} ${d.length === 1 ? 'is' : 'are'} dropped: synthesise or condition on ${d.length === 1 ? 'it' : 'them'}, or remove ${d.length === 1 ? 'it' : 'them'} here.` : undefined;
  };
  const both = ev.sensitive.filter((n) => ev.quasiIdentifiers.includes(n));
  const multi = (key: 'stratifyBy' | 'quasiIdentifiers' | 'sensitive', label: string, extraError?: string) => (
    <MultiSelect
      data-testid={`spec-eval-${key}`}
      label={label}
      description={EVALUATION_HELP[key]}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      placeholder={ev[key].length === 0 ? 'None' : undefined}
      data={options(ev[key])}
      value={ev[key]}
      searchable
      clearable
      maxValues={key === 'stratifyBy' ? 5 : undefined}
      readOnly={readOnly}
      error={errorAt(`evaluation.${key}`) ?? droppedMessage(ev[key]) ?? extraError}
      onChange={(v) => setEv({ [key]: v })}
      comboboxProps={{ withinPortal: true }}
    />
  );
  return (
    <Section title="Evaluation" description="Subgroups to check separately, the columns the privacy attacks use, and how the report protects small counts.">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
        {multi('stratifyBy', 'Stratification columns')}
        {multi('quasiIdentifiers', 'Quasi-identifiers')}
        {multi('sensitive', 'Sensitive columns', both.length > 0 ? `A column cannot be both a quasi-identifier and sensitive: ${both.join(', ')}.` : undefined)}
        <div>
          <Text size="sm" fw={500}>
            Correlation
          </Text>
          <SegmentedControl
            data-testid="spec-eval-correlation"
            mt={4}
            data={[
              { value: 'pearson', label: 'Pearson' },
              { value: 'spearman', label: 'Spearman' },
            ]}
            value={ev.correlation}
            readOnly={readOnly}
            onChange={(v) => !readOnly && setEv({ correlation: v === 'spearman' ? 'spearman' : 'pearson' })}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {EVALUATION_HELP.correlation}
          </Text>
        </div>
        <NumField
          data-testid="spec-eval-smallCellMin"
          label="Small-cell minimum (real rows)"
          description={EVALUATION_HELP.smallCellMin}
          value={ev.smallCellMin}
          readOnly={readOnly}
          error={errorAt('evaluation.smallCellMin')}
          onChange={(v) => setEv({ smallCellMin: v })}
        />
      </SimpleGrid>
    </Section>
  );
}
