import { Box, Text } from '@mantine/core';
import type { SampleGridView } from '../../../../electron/shared/validation-schemas';
import './validation.css';

// Synthetic sample images from the report (base64 PNG): shown as data: images, the same pixels the report holds.
export function SampleGrids({ grids }: { grids: SampleGridView[] }) {
  return (
    <>
      {grids.map((g, i) => (
        <Box key={i} data-testid="validation-sample-grid">
          <div className="validation-samples">
            {g.items.map((item, j) => (
              <figure key={j} className="validation-sample">
                <img src={`data:image/png;base64,${item.pngBase64}`} alt={`Synthetic sample ${j + 1}: ${item.label}`} data-testid="validation-sample" />
                <Text component="figcaption" size="xs" c="dimmed" truncate>
                  {item.label}
                </Text>
              </figure>
            ))}
          </div>
          <Text size="xs" c="dimmed" mt={6}>
            {g.caption}
          </Text>
        </Box>
      ))}
    </>
  );
}
