import { Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ImageSpec } from '../../../../../electron/shared/image-spec-schema';
import { NumField } from '../form/NumField';
import { Section } from '../form/Section';
import { LabelColumnPicker } from './LabelColumnPicker';

type Image = ImageSpec['image'];

const LABEL_DATA = [
  { value: 'none', label: 'None (one unconditional model)' },
  { value: 'modality', label: 'Modality' },
  { value: 'description', label: 'Series description' },
  { value: 'bodyPart', label: 'Body part' },
  { value: 'column', label: 'A column of a clinical table' },
];
// A soft-tissue CT window; a starting point only.
const CUSTOM_DEFAULT = { center: 40, width: 400 };

// 'refuse' is the default and is left out of the spec, so a spec that never asked keeps the hash it always had.
export function withColour(image: Image, colour: 'greyscale' | undefined): Image {
  const { colour: _old, ...rest } = image;
  return colour ? { ...rest, colour } : rest;
}

interface Props {
  image: Image;
  images: number;
  seed: number;
  errorAt: (path: string) => string | undefined;
  onImage: (image: Image) => void;
  onImages: (n: number) => void;
  onSeed: (n: number) => void;
}

export function ImageSection({ image, images, seed, errorAt, onImage, onImages, onSeed }: Props) {
  const win = image.window;
  return (
    <Section title="Images" description="How source slices are prepared for training, and what the model produces.">
      <Stack gap="md">
        <Group gap="xl" align="flex-start" wrap="wrap">
          <div>
            <Text size="sm" fw={500}>
              Size
            </Text>
            <Text size="xs" c="dimmed" mb={4}>
              default 64: slices are scaled to a square of this many pixels; 128 trains about 4× slower.
            </Text>
            <SegmentedControl
              data-testid="image-size"
              data={['32', '64', '128'].map((v) => ({ value: v, label: `${v} × ${v}` }))}
              value={String(image.size)}
              onChange={(v) => onImage({ ...image, size: Number(v) as Image['size'] })}
            />
          </div>
          <div>
            <Text size="sm" fw={500}>
              Window
            </Text>
            <Text size="xs" c="dimmed" mb={4}>
              default the file’s own window: grey levels as the modality stored them.
            </Text>
            <SegmentedControl
              data-testid="image-window"
              data={[
                { value: 'file', label: 'File default' },
                { value: 'custom', label: 'Custom' },
              ]}
              value={win ? 'custom' : 'file'}
              onChange={(v) => onImage({ ...image, window: v === 'custom' ? CUSTOM_DEFAULT : null })}
            />
          </div>
          <div>
            <Text size="sm" fw={500}>
              Colour series
            </Text>
            <Text size="xs" c="dimmed" mb={4}>
              default refuse: generators learn greyscale; conversion uses the ITU-R BT.601 luma.
            </Text>
            <SegmentedControl
              data-testid="image-colour"
              data={[
                { value: 'refuse', label: 'Refuse' },
                { value: 'greyscale', label: 'Convert to greyscale' },
              ]}
              value={image.colour ?? 'refuse'}
              onChange={(v) => onImage(withColour(image, v === 'greyscale' ? 'greyscale' : undefined))}
            />
          </div>
          {win && (
            <Group gap="sm" align="flex-start">
              <NumberInput
                data-testid="image-window-center"
                label="Centre"
                w={120}
                value={win.center}
                error={errorAt('image.window.center')}
                onChange={(v) => onImage({ ...image, window: { ...win, center: typeof v === 'number' ? v : Number.NaN } })}
              />
              <NumberInput
                data-testid="image-window-width"
                label="Width"
                w={120}
                min={1}
                value={win.width}
                error={errorAt('image.window.width')}
                onChange={(v) => onImage({ ...image, window: { ...win, width: typeof v === 'number' ? v : Number.NaN } })}
              />
            </Group>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select
            data-testid="image-label-by"
            label="Label by"
            description="default none; a label lets the model generate each kind on request."
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            data={LABEL_DATA}
            value={typeof image.labelBy === 'string' ? image.labelBy : image.labelBy ? 'column' : 'none'}
            allowDeselect={false}
            onChange={(v) =>
              onImage({
                ...image,
                labelBy: v === 'modality' || v === 'description' || v === 'bodyPart' ? v : v === 'column' ? { kind: 'column', tableId: -1, patientColumn: '', labelColumn: '' } : null,
              })
            }
          />
          <NumField data-testid="image-count" label="Images to generate" description="default 64: an 8×8 contact sheet to review." value={images} error={errorAt('images')} onChange={onImages} />
          <NumField data-testid="image-seed" label="Seed" description="Same seed, same spec, same backend: the same images." value={seed} error={errorAt('seed')} onChange={onSeed} />
        </SimpleGrid>
        {image.labelBy !== null && typeof image.labelBy === 'object' && <LabelColumnPicker value={image.labelBy} onChange={(labelBy) => onImage({ ...image, labelBy })} />}
      </Stack>
    </Section>
  );
}
