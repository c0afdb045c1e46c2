// Minimal types for the wasm codec packages, which ship none. Only what codecs.ts calls is declared. The
// decoders are Emscripten/embind objects: their memory lives in the wasm heap until delete() is called.

// Shared shapes live in a namespace so these ambient declarations add one global name only.
declare namespace AirlockCodecs {
  interface WasmFrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned?: boolean;
  }

  interface WasmDecoder {
    /** A view into wasm memory of the given size, to copy the encoded bytes into before decode(). */
    getEncodedBuffer(length: number): Uint8Array;
    /** A view into wasm memory holding the decoded samples (little-endian for >8-bit). */
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): WasmFrameInfo;
    decode(): void;
    delete(): void;
  }

  interface EmscriptenOptions {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  interface JpegLSDecoder extends AirlockCodecs.WasmDecoder {
    getInterleaveMode(): number;
    getNearLossless(): number;
  }
  interface CharLSModule {
    JpegLSDecoder: new () => JpegLSDecoder;
    getExceptionMessage?: (ptr: number) => string | string[];
  }
  const factory: (options?: AirlockCodecs.EmscriptenOptions) => Promise<CharLSModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  interface OpenJPEGModule {
    J2KDecoder: new () => AirlockCodecs.WasmDecoder;
  }
  const factory: (options?: AirlockCodecs.EmscriptenOptions) => Promise<OpenJPEGModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  interface LibJpegTurboModule {
    JPEGDecoder: new () => AirlockCodecs.WasmDecoder;
  }
  const factory: (options?: AirlockCodecs.EmscriptenOptions) => Promise<LibJpegTurboModule>;
  export default factory;
}

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decodes one JPEG lossless (process 14) image; samples are interleaved when there are 3 components. */
    decode(buffer: ArrayBuffer, offset: number, length: number): Uint8Array | Uint16Array;
    numComp: number;
    xDim: number;
    yDim: number;
    precision: number | undefined;
  }
}
