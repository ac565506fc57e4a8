// Draws a QR Code or Data Matrix with bwip-js (Barcode Writer in Pure PostScript, ported to
// JavaScript). A Digital Link URI is carried as plain data, with no FNC1 in first position (GS1
// Digital Link standard §4.10 and General Specifications §5.1): the plain encoders do exactly
// that. The URI was validated by our parser already, the one the resolver uses; bwip-js's own
// gs1dl* encoders judge URIs by a stricter, different linter (they refuse compressed URIs).
import { ApiError } from '../http/api-error';
import type { CodeFormat, Symbology } from './code-query';

export interface DrawRequest {
  uri: string;
  symbology: Symbology;
  format: CodeFormat;
  /** Pixels per module (PNG), even. */
  size: number;
  quietZone: number;
  errorCorrection?: 'L' | 'M' | 'Q' | 'H';
}

export type DrawnCode = { format: 'svg'; body: string } | { format: 'png'; body: Uint8Array<ArrayBuffer> };

// bwip-js draws a module two units wide at scale 1; padding is in those units, before scaling.
const UNITS_PER_MODULE = 2;

export async function drawCode(request: DrawRequest): Promise<DrawnCode> {
  // Loaded on the first code an isolate draws, not at start-up: a scan never evaluates it.
  const bwip = await import('./bwip-encoders');
  const encode = request.symbology === 'qr' ? bwip.qrcode : bwip.datamatrix;
  const options = {
    bcid: request.symbology === 'qr' ? 'qrcode' : 'datamatrix',
    text: request.uri,
    // A quiet zone must be light when printed, never transparent: scanners read transparency as dark.
    backgroundcolor: 'FFFFFF',
    padding: request.quietZone * UNITS_PER_MODULE,
    ...(request.errorCorrection ? { eclevel: request.errorCorrection } : {}),
  };
  try {
    if (request.format === 'svg') {
      return {
        format: 'svg',
        body: encode({ ...options, scale: 1 }, bwip.drawingSVG()) as unknown as string,
      };
    }
    const png = await encode({ ...options, scale: request.size / UNITS_PER_MODULE });
    return { format: 'png', body: new Uint8Array(png) };
  } catch (err) {
    throw cannotDraw(err);
  }
}

/** bwip-js throws `bwipp.<reason>#<n>: <message>` for data the symbology cannot hold (too long). */
function cannotDraw(err: unknown): unknown {
  const message = err instanceof Error ? err.message : '';
  const match = /^bwipp\.\w+#\d+: (.*)$/s.exec(message);
  if (!match) return err;
  return new ApiError('bad_request', `The data does not fit this symbology: ${match[1]}`);
}
