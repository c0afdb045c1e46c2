import { Alert, Button, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { imageSpecSchema, type ImageSpec } from '../../../../../electron/shared/image-spec-schema';
import { api, errorMessage } from '../../../api';
import { FormError } from '../../../components/FormError';
import { AlertIcon, ArrowLeftIcon } from '../../../components/icons';
import { Section } from '../form/Section';
import { UsesSection } from '../form/UsesSection';
import { ImageAcceptanceSection } from './ImageAcceptanceSection';
import { ImageGeneratorSection } from './ImageGeneratorSection';
import { ImageSection, withColour } from './ImageSection';
import { SeriesPicker } from './SeriesPicker';
import { newImageSpec } from './imageFields';

interface Props {
  onBack: () => void;
  onSaved: (message: string) => void;
  onStartRun: (runId: number) => void;
}

// A new image spec in one form; each save makes a version (the first, or the next after "Save").
export function ImageSpecEditor({ onBack, onSaved, onStartRun }: Props) {
  const [draft, setDraft] = useState<ImageSpec>(newImageSpec);
  const [specId, setSpecId] = useState<number | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState<'save' | 'train' | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  // The schema main validates with, so the inline messages are the ones main would give.
  const { valid, issues } = useMemo(() => {
    const r = imageSpecSchema.safeParse(draft);
    return r.success ? { valid: r.data, issues: [] } : { valid: null, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  }, [draft]);
  const errorAt = (path: string) => (attempted ? issues.find((i) => i.path === path)?.message : undefined);
  const set = <K extends keyof ImageSpec>(key: K, value: ImageSpec[K]) => setDraft((d) => ({ ...d, [key]: value }));

  // Main refuses colour series on save; the steward may then choose conversion and save again.
  const colourRefused = formError !== null && / is colour \(/.test(formError) && draft.image.colour !== 'greyscale';

  const save = async (train: boolean, spec: ImageSpec | null = valid) => {
    setAttempted(true);
    if (!spec) return;
    setBusy(train ? 'train' : 'save');
    setFormError(null);
    try {
      const saved = await api.imagespecs.save({ specId, spec });
      setSpecId(saved.specId);
      if (!train) {
        onSaved(`Saved “${saved.spec.name}” as version ${saved.version}.`);
        setBusy(null);
        return;
      }
      const run = await api.runs.start({ specId: saved.specId, version: saved.version });
      onStartRun(run.id);
    } catch (e) {
      setFormError(errorMessage(e));
      setBusy(null);
    }
  };

  return (
    <Stack gap="md" data-testid="image-spec-editor">
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <Button variant="subtle" color="gray" px={8} onClick={onBack} aria-label="Back to all specs" data-testid="image-back">
          <ArrowLeftIcon />
        </Button>
        <div>
          <Title order={2}>{specId === null ? 'New image spec' : draft.name || 'Image spec'}</Title>
          <Text size="sm" c="dimmed" mt={2}>
            Synthetic images learned from the DICOM series you choose. Nothing is stored until you save.
          </Text>
        </div>
      </Group>
      <Section title="Source" description="The series to learn from. Every slice of each chosen series is a training image.">
        <Stack gap="md">
          <TextInput data-testid="image-name" label="Name" withAsterisk maw={480} value={draft.name} error={errorAt('name')} onChange={(e) => set('name', e.currentTarget.value)} />
          <SeriesPicker selected={draft.source.seriesIds} error={errorAt('source.seriesIds')} onChange={(seriesIds) => set('source', { kind: 'dicom', seriesIds })} />
        </Stack>
      </Section>
      <ImageSection
        image={draft.image}
        images={draft.images}
        seed={draft.seed}
        errorAt={errorAt}
        onImage={(image) => set('image', image)}
        onImages={(n) => set('images', n)}
        onSeed={(n) => set('seed', n)}
      />
      <ImageGeneratorSection generator={draft.generator} errorAt={errorAt} onChange={(g) => set('generator', g)} />
      <ImageAcceptanceSection draft={draft} errorAt={errorAt} onChange={(c) => setDraft((d) => ({ ...d, ...c }))} />
      <UsesSection
        testIdPrefix="image"
        intendedUse={draft.intendedUse}
        prohibitedUses={draft.prohibitedUses}
        readOnly={false}
        errorAt={errorAt}
        onIntended={(t) => set('intendedUse', t)}
        onProhibited={(u) => set('prohibitedUses', u)}
      />
      <Paper withBorder radius="md" p="sm" shadow="sm" style={{ position: 'sticky', bottom: 12, zIndex: 5, background: 'var(--mantine-color-white)' }}>
        <Stack gap="sm">
          {attempted && issues.length > 0 && (
            <Alert data-testid="image-errors" color="red" variant="light" icon={<AlertIcon />} p="sm" title="Fix these to save">
              <List size="sm" spacing={2}>
                {issues.slice(0, 6).map((i) => (
                  <List.Item key={i.path}>{i.message}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <FormError message={formError} onClose={() => setFormError(null)} />
          {colourRefused && (
            <Group gap="xs" data-testid="image-colour-offer">
              <Text size="sm">The generators learn greyscale images. Convert the colour series with the ITU-R BT.601 luma (Y = 0.299 R + 0.587 G + 0.114 B)?</Text>
              <Button
                size="xs"
                variant="light"
                data-testid="image-colour-convert"
                disabled={busy !== null}
                onClick={() => {
                  const next = { ...draft, image: withColour(draft.image, 'greyscale') };
                  setDraft(next);
                  const parsed = imageSpecSchema.safeParse(next);
                  void save(false, parsed.success ? parsed.data : null);
                }}
              >
                Convert to greyscale and save
              </Button>
            </Group>
          )}
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" c="dimmed">
              {specId === null ? 'Saving creates version 1.' : 'Saving again creates the next version.'}
            </Text>
            <Group gap="xs">
              <Button variant="default" data-testid="image-save" loading={busy === 'save'} disabled={busy !== null} onClick={() => void save(false)}>
                Save
              </Button>
              <Button data-testid="image-save-train" loading={busy === 'train'} disabled={busy !== null} onClick={() => void save(true)}>
                Save and train
              </Button>
            </Group>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
