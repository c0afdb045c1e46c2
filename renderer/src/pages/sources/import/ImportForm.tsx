import { Button, Grid, Group, NumberInput, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { HoldoutSpec } from '../../../../../electron/shared/ingest-schemas';
import { ApiError, api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { FolderIcon, InfoIcon, SpecsIcon } from '../../../components/icons';
import { focusFirstInvalid } from '../../../useFormState';
import { HOLDOUT_MAX_PERCENT, checkHoldout, toFraction } from '../sourcesFormat';

interface Props {
  running: boolean;
  onStart: (paths: string[], holdout: HoldoutSpec) => Promise<void>;
}

function parsePaths(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0))];
}

export function ImportForm({ running, onStart }: Props) {
  const [pathsText, setPathsText] = useState('');
  const [percent, setPercent] = useState<number | string>(20);
  const [seed, setSeed] = useState('airlock');
  const [group, setGroup] = useState('');
  const [errors, setErrors] = useState<{ paths?: string; percent?: string; seed?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  // null: not tried yet; a sentence: the picker is unavailable here (a browser, or a test harness).
  const [pickerUnavailable, setPickerUnavailable] = useState<string | null>(null);
  const [choosing, setChoosing] = useState<'files' | 'folders' | null>(null);

  const choose = async (folders: boolean) => {
    setChoosing(folders ? 'folders' : 'files');
    setFormError(null);
    try {
      const { paths } = await api.ingest.chooseFiles({ folders });
      if (paths.length === 0) return;
      setPathsText((prev) => parsePaths(`${prev}\n${paths.join('\n')}`).join('\n'));
      setErrors((prev) => ({ ...prev, paths: undefined }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_AVAILABLE') setPickerUnavailable(e.message);
      else setFormError(errorMessage(e));
    } finally {
      setChoosing(null);
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const paths = parsePaths(pathsText);
    const found = { ...checkHoldout(percent, seed), ...(paths.length === 0 ? { paths: 'Enter at least one file or folder to import.' } : {}) };
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(formEl);
      return;
    }
    setFormError(null);
    setStarting(true);
    try {
      await onStart(paths, { fraction: toFraction(Number(percent)), seed: seed.trim(), groupColumn: group.trim() || null });
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const disabled = running || starting;
  return (
    <Paper withBorder radius="md" p="lg" component="form" onSubmit={(e: FormEvent<HTMLFormElement>) => void submit(e)} noValidate>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Textarea
              data-testid="import-paths"
              label="Files and folders"
              description="One path per line. Folders are imported with everything inside them; DICOM files and CSV or TSV tables are recognised."
              placeholder={'/media/usb/study-export\n/home/steward/tables/admissions.csv'}
              autosize
              minRows={5}
              maxRows={10}
              spellCheck={false}
              autoComplete="off"
              wrap="off"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)', overflowX: 'auto' } }}
              value={pathsText}
              error={errors.paths}
              disabled={disabled}
              onChange={(e) => {
                setPathsText(e.currentTarget.value);
                setErrors((prev) => ({ ...prev, paths: undefined }));
              }}
            />
            {pickerUnavailable ? (
              <Group gap={6} wrap="nowrap" c="dimmed" data-testid="import-picker-hint">
                <InfoIcon size={16} />
                <Text size="sm">{pickerUnavailable}</Text>
              </Group>
            ) : (
              <Group gap="sm">
                <Button variant="default" leftSection={<SpecsIcon size={16} />} loading={choosing === 'files'} disabled={disabled || choosing !== null} onClick={() => void choose(false)} data-testid="import-choose-files">
                  Choose files…
                </Button>
                <Button variant="default" leftSection={<FolderIcon size={16} />} loading={choosing === 'folders'} disabled={disabled || choosing !== null} onClick={() => void choose(true)} data-testid="import-choose-folder">
                  Choose folder…
                </Button>
              </Group>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper bg="gray.0" radius="md" p="md" h="100%">
            <Title order={5} mb={4}>
              Holdout for tables
            </Title>
            <Text size="xs" c="dimmed" mb="sm">
              Rows set aside for validation and never used for training. Imaging patients are split by the workspace’s own fixed holdout.
            </Text>
            <Stack gap="sm">
              <Group grow align="flex-start" gap="sm">
                <NumberInput
                  data-testid="import-holdout"
                  label="Holdout"
                  suffix="%"
                  min={0}
                  max={HOLDOUT_MAX_PERCENT}
                  step={5}
                  decimalScale={1}
                  clampBehavior="strict"
                  value={percent}
                  error={errors.percent}
                  disabled={disabled}
                  onChange={(value) => {
                    setPercent(value);
                    setErrors((prev) => ({ ...prev, percent: undefined }));
                  }}
                />
                <TextInput
                  data-testid="import-seed"
                  label="Seed"
                  spellCheck={false}
                  autoComplete="off"
                  value={seed}
                  error={errors.seed}
                  disabled={disabled}
                  onChange={(e) => {
                    setSeed(e.currentTarget.value);
                    setErrors((prev) => ({ ...prev, seed: undefined }));
                  }}
                />
              </Group>
              <TextInput
                data-testid="import-group"
                label="Group column (optional)"
                description="Keep all rows of one patient on the same side, e.g. id"
                placeholder="Automatic: by a patient id column whose values repeat"
                spellCheck={false}
                autoComplete="off"
                value={group}
                disabled={disabled}
                onChange={(e) => setGroup(e.currentTarget.value)}
              />
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
      <FormError message={formError} />
      <Group justify="flex-end" mt="lg">
        <Button type="submit" data-testid="import-start" loading={starting} disabled={running}>
          Import
        </Button>
      </Group>
    </Paper>
  );
}
