import { ActionIcon, Badge, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ColumnView } from '../../../../../electron/shared/ingest-schemas';
import type { Rule, RuleSuggestion } from '../../../../../electron/shared/rules-schema';
import { describeRule, ruleColumns } from '../../../../../electron/shared/rules-text';
import type { Spec } from '../../../../../electron/shared/spec-schema';
import { api, errorMessage } from '../../../api';
import type { SpecDraft } from '../useSpecDraft';
import { RuleForm } from './RuleForm';
import { Section } from './Section';

interface Props {
  model: SpecDraft;
  sourceColumns: ColumnView[] | null;
  readOnly: boolean;
  // A new draft asks for suggestions at once; a saved spec when the steward asks.
  suggestAtOnce: boolean;
}

const key = (r: Rule): string => JSON.stringify(r);

// Only rules over columns the spec keeps can join it; a rule over a dropped column would be refused on save.
function fits(spec: Spec, rule: Rule): boolean {
  const kept = new Set(spec.columns.filter((c) => c.treatment !== 'drop').map((c) => c.name));
  return ruleColumns(rule).every((c) => kept.has(c));
}

export function RulesSection({ model, sourceColumns, readOnly, suggestAtOnce }: Props) {
  const { draft, update, errorUnder } = model;
  const tableId = draft.source.tableId;
  const [suggestions, setSuggestions] = useState<RuleSuggestion[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<Set<string>>(() => new Set());

  const load = async () => {
    setLoading(true);
    setLoadError(null);
    try {
      setSuggestions(await api.specs.suggestRules({ tableId }));
    } catch (e) {
      setLoadError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (!suggestAtOnce || readOnly) return;
    let cancelled = false;
    setLoading(true);
    api.specs
      .suggestRules({ tableId })
      .then((s) => !cancelled && setSuggestions(s))
      .catch((e: unknown) => !cancelled && setLoadError(errorMessage(e)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [suggestAtOnce, readOnly, tableId]);

  const rules = draft.rules;
  const have = new Set(rules.map(key));
  const open = (suggestions ?? []).filter((s) => !have.has(key(s.rule)) && !dismissed.has(key(s.rule)) && fits(draft, s.rule));
  const setRules = (next: Rule[]) => update((d) => ({ ...d, rules: next }));
  const accept = (more: Rule[]) => update((d) => ({ ...d, rules: [...d.rules, ...more.filter((r) => !d.rules.some((x) => key(x) === key(r)))] }));

  return (
    <Section
      title="Rules"
      description="Logical rules between columns that every synthetic row must keep (an event never after follow-up, a cause of death only for deaths). Each is checked against the real training rows when you save."
      error={errorUnder('rules')}
    >
      <Stack gap="md" data-testid="spec-rules">
        <Stack gap={6}>
          {rules.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="spec-rules-empty">
              No rules yet{readOnly ? '.' : ': accept a suggestion below, or add one by hand.'}
            </Text>
          )}
          {rules.map((r, i) => (
            <Group key={`${i}-${key(r)}`} gap="xs" wrap="nowrap" justify="space-between" data-testid={`spec-rule-${i}`}>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {describeRule(r)}
              </Text>
              {!readOnly && (
                <ActionIcon variant="subtle" color="gray" aria-label={`Remove rule ${i + 1}`} data-testid={`spec-rule-remove-${i}`} onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                  ×
                </ActionIcon>
              )}
            </Group>
          ))}
        </Stack>
        {!readOnly && (
          <Suggestions
            suggestions={suggestions}
            open={open}
            loading={loading}
            error={loadError}
            onLoad={() => void load()}
            onAccept={(r) => accept([r])}
            onAcceptAll={() => accept(open.map((s) => s.rule))}
            onDismiss={(r) => setDismissed((d) => new Set(d).add(key(r)))}
          />
        )}
        {!readOnly && <RuleForm columns={draft.columns.filter((c) => c.treatment !== 'drop').map((c) => c.name)} sourceColumns={sourceColumns} onAdd={(r) => accept([r])} />}
      </Stack>
    </Section>
  );
}

interface SuggestionsProps {
  suggestions: RuleSuggestion[] | null;
  open: RuleSuggestion[];
  loading: boolean;
  error: string | null;
  onLoad: () => void;
  onAccept: (rule: Rule) => void;
  onAcceptAll: () => void;
  onDismiss: (rule: Rule) => void;
}

function Suggestions({ suggestions, open, loading, error, onLoad, onAccept, onAcceptAll, onDismiss }: SuggestionsProps) {
  if (loading)
    return (
      <Group gap="xs" data-testid="rule-suggestions-loading">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          Reading the training rows for rules that always hold…
        </Text>
      </Group>
    );
  return (
    <Stack gap="xs" data-testid="rule-suggestions">
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          Suggested from the real training rows{suggestions ? ` (${open.length})` : ''}
        </Text>
        <Group gap="xs">
          {suggestions === null && (
            <Button size="xs" variant="light" onClick={onLoad} data-testid="rules-suggest">
              Suggest rules from the data
            </Button>
          )}
          {open.length > 1 && (
            <Button size="xs" onClick={onAcceptAll} data-testid="rules-accept-all">
              Accept all {open.length}
            </Button>
          )}
        </Group>
      </Group>
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      {suggestions !== null && open.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="rule-suggestions-none">
          {suggestions.length === 0 ? 'No rule holds in every training row beyond what the generators keep anyway.' : 'Every suggestion has been accepted or dismissed.'}
        </Text>
      )}
      {open.map((s, i) => (
        <Paper key={JSON.stringify(s.rule)} withBorder radius="sm" p="xs" data-testid={`rule-suggestion-${i}`}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} miw={0}>
              <Group gap="xs">
                <Text size="sm" fw={500} data-testid={`rule-suggestion-text-${i}`}>
                  {describeRule(s.rule)}
                </Text>
                <Badge size="sm" variant="light" color="gray" title="Training rows the rule was checked on, out of all training rows">
                  {s.support.toLocaleString()} of {s.rows.toLocaleString()} rows
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {s.why}
              </Text>
            </Stack>
            <Group gap={4} wrap="nowrap">
              <Button size="compact-xs" variant="light" onClick={() => onAccept(s.rule)} data-testid={`rule-accept-${i}`}>
                Accept
              </Button>
              <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onDismiss(s.rule)} data-testid={`rule-dismiss-${i}`}>
                Dismiss
              </Button>
            </Group>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
