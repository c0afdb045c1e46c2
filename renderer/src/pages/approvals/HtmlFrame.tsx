// A self-contained HTML document (card, report) in a sandboxed frame: no scripts, no same-origin access, no navigation.
export function HtmlFrame({ html, title, testId, height = '72vh' }: { html: string; title: string; testId: string; height?: number | string }) {
  return (
    <iframe
      data-testid={testId}
      title={title}
      sandbox=""
      srcDoc={html}
      referrerPolicy="no-referrer"
      style={{ width: '100%', height, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)', background: 'white' }}
    />
  );
}
