import { TextInput, type TextInputProps } from '@mantine/core';
import { useState } from 'react';

const show = (v: number) => (Number.isFinite(v) ? String(v) : '');
const showList = (v: number[]) => v.map(show).join(', ');
const parse = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));

type Base = Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue'>;

// A plain text field over a number: keeps what is typed ("0.", "1e-") while the draft gets NaN or the value,
// and shows small rates as typed rather than reformatting them on every keystroke.
export function NumField({ value, onChange, ...rest }: Base & { value: number; onChange: (value: number) => void }) {
  return <SyncedText external={show(value)} equal={(text) => Object.is(parse(text), value) || show(parse(text)) === show(value)} onText={(t) => onChange(parse(t))} inputMode="decimal" {...rest} />;
}

// Comma-separated numbers, as for layer widths.
export function NumListField({ value, onChange, ...rest }: Base & { value: number[]; onChange: (value: number[]) => void }) {
  const toList = (text: string) => (text.trim() === '' ? [] : text.split(',').map(parse));
  return <SyncedText external={showList(value)} equal={(text) => showList(toList(text)) === showList(value)} onText={(t) => onChange(toList(t))} {...rest} />;
}

interface SyncedProps extends Base {
  external: string;
  equal: (text: string) => boolean;
  onText: (text: string) => void;
}

function SyncedText({ external, equal, onText, ...rest }: SyncedProps) {
  const [text, setText] = useState(external);
  const [seen, setSeen] = useState(external);
  // A change from elsewhere (the JSON view, a reset) replaces the text; our own echo does not.
  if (external !== seen) {
    setSeen(external);
    if (!equal(text)) setText(external);
  }
  return (
    <TextInput
      // Help under the input keeps the inputs of a grid row level however long each help text is.
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onText(e.currentTarget.value);
      }}
    />
  );
}
