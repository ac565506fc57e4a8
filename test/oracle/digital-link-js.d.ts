// The part of digital-link.js (no types of its own) that the oracle tests call.
declare module 'digital-link.js' {
  export const Utils: {
    compressWebUri(uri: string, useOptimisations?: boolean, compressOtherKeyValuePairs?: boolean): string;
    decompressWebUri(uri: string, useShortText?: boolean): string;
    isCompressedWebUri(uri: string): boolean;
  };
}
