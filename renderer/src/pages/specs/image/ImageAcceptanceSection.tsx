import { Badge, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { TIER_LABELS, type ReleaseTier } from '../../../../../electron/shared/criteria';
import { IMAGE_CRITERIA, resolveImageCriteria, type ResolvedImageCriterion } from '../../../../../electron/shared/image-criteria';
import type { ImageSpec } from '../../../../../electron/shared/image-spec-schema';
import { NumField } from '../form/NumField';
import { Section } from '../form/Section';
import { TIER_HELP, TIER_OPTIONS } from '../specFields';

interface Props {
  draft: ImageSpec;
  errorAt: (path: string) => string | undefined;
  onChange: (change: Pick<ImageSpec, 'tier' | 'criteria'>) => void;
}

const tierOf = (d: ImageSpec): ReleaseTier => d.tier ?? 'model-development';

// An override is kept only while it differs from the tier's default, as for tables; NaN stays so the field says why.
function withCriterion(draft: ImageSpec, tier: ReleaseTier, id: string, value: number): Record<string, number> {
  const { [id]: _old, ...rest } = draft.criteria ?? {};
  const def = IMAGE_CRITERIA.find((c) => c.id === id)?.defaults[tier];
  return value === def ? rest : { ...rest, [id]: value };
}

export function ImageAcceptanceSection({ draft, errorAt, onChange }: Props) {
  const tier = tierOf(draft);
  const overrides = Object.fromEntries(Object.entries(draft.criteria ?? {}).filter(([, v]) => Number.isFinite(v)));
  const resolved = resolveImageCriteria(tier, overrides);
  const changed = resolved.filter((c) => c.changed).length;
  const labelled = draft.image.labelBy !== null;
  const setTier = (t: ReleaseTier) => {
    let criteria: Record<string, number> = {};
    for (const [id, v] of Object.entries(draft.criteria ?? {})) criteria = withCriterion({ ...draft, criteria }, t, id, v);
    onChange({ tier: t, criteria });
  };
  return (
    <Section title="Release tier and acceptance criteria" description="What the images are for decides how strict validation is: each tier brings a default for every criterion; a changed one is marked as changed.">
      <Stack gap="md">
        <div>
          <SegmentedControl data-testid="image-tier" data={TIER_OPTIONS} value={tier} onChange={(v) => setTier(v)} />
          <Text size="sm" c="dimmed" mt={6}>
            {TIER_LABELS[tier]}: {TIER_HELP[tier]}
          </Text>
          <Text size="sm" mt={6} data-testid="image-criteria-changed-count">
            {changed === 0 ? 'All criteria at the tier defaults.' : `${changed} ${changed === 1 ? 'criterion' : 'criteria'} changed from the tier defaults.`}
          </Text>
        </div>
        {resolved.map((c) => (
          <Row key={c.id} c={c} stored={draft.criteria?.[c.id]} inactive={c.when === 'labels' && !labelled} error={errorAt(`criteria.${c.id}`)} onValue={(v) => onChange({ tier, criteria: withCriterion(draft, tier, c.id, v) })} />
        ))}
      </Stack>
    </Section>
  );
}

function Row({ c, stored, inactive, error, onValue }: { c: ResolvedImageCriterion; stored: number | undefined; inactive: boolean; error: string | undefined; onValue: (v: number) => void }) {
  const def = IMAGE_CRITERIA.find((d) => d.id === c.id);
  const changed = c.changed || (stored !== undefined && !Number.isFinite(stored));
  return (
    <Paper withBorder radius="sm" p="sm" data-testid={`image-criterion-${c.id}`} data-changed={changed} bg={changed ? 'indigo.0' : undefined}>
      <Group align="flex-start" justify="space-between" wrap="nowrap" gap="md">
        <div style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs" mb={2}>
            <Text size="sm" fw={600}>
              {c.label}
            </Text>
            {changed && (
              <Badge size="sm" color="indigo" variant="light" tt="none">
                changed from the tier default
              </Badge>
            )}
            {inactive && (
              <Badge size="sm" color="gray" variant="outline" tt="none">
                checked only with class labels
              </Badge>
            )}
          </Group>
          <Text size="sm">{c.sentence}</Text>
        </div>
        <Stack gap={4} w={170} style={{ flex: 'none' }}>
          <NumField data-testid={`image-crit-${c.id}`} aria-label={`${c.label} threshold`} size="sm" value={stored ?? c.threshold} error={error} description={`Tier default ${c.tierDefault}${def ? ` (${def.range[0]}–${def.range[1]})` : ''}`} onChange={onValue} />
          {changed && (
            <Button size="compact-xs" variant="subtle" onClick={() => onValue(c.tierDefault)}>
              Reset to {c.tierDefault}
            </Button>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
