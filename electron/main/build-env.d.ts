// What electron-vite replaces at build time: DEV is true only under `npm run dev` (electron-vite dev).
interface ImportMetaEnv {
  readonly DEV: boolean;
  readonly MODE: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
