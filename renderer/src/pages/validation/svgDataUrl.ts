// Charts arrive as SVG text; the page shows them as data: images (the CSP allows those and runs no script in
// them). btoa takes Latin-1 only, so the UTF-8 bytes (labels with “·”, “≥”, accents) are encoded first.
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  // In chunks: String.fromCharCode(...all) overflows the call stack on large charts.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

// The chart's own width and height, so it is shown at its natural size and shrinks only when the page is narrower.
export function svgSize(svg: string): { width: number; height: number } | null {
  const head = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? '';
  const w = /\bwidth="([\d.]+)(?:px)?"/.exec(head)?.[1];
  const h = /\bheight="([\d.]+)(?:px)?"/.exec(head)?.[1];
  if (w && h) return { width: Number(w), height: Number(h) };
  const vb = /\bviewBox="[\d.-]+[ ,]+[\d.-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"/.exec(head);
  return vb?.[1] && vb[2] ? { width: Number(vb[1]), height: Number(vb[2]) } : null;
}

/** Save a text file from the page: a Blob behind a temporary link (no Node, no main-process dialog needed). */
export function downloadText(fileName: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
