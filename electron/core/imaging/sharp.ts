// sharp (libvips, about 20 MB once loaded) loads on the first image it encodes or resizes, not with every
// process that imports a module using it: an import or a validation of tables never needs it.
import type Sharp from 'sharp';

let loading: Promise<typeof Sharp> | null = null;

export function loadSharp(): Promise<typeof Sharp> {
  loading ??= import('sharp').then((m) => m.default);
  return loading;
}
