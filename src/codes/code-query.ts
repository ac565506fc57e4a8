// What `GET /v1/codes` takes: the data to encode (a Digital Link URI or an element string), the
// symbology, the image format and how big to draw it.
import * as z from 'zod';

export const SYMBOLOGIES = ['qr', 'datamatrix'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];

export const CODE_FORMATS = ['svg', 'png'] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];

/** QR Code error-correction levels (ISO/IEC 18004): about 7, 15, 25 and 30 % of the symbol restorable. */
export const QR_ERROR_CORRECTION = ['L', 'M', 'Q', 'H'] as const;

/**
 * The light margin GS1 General Specifications require around a symbol, in modules: 4X for QR Code
 * (§5.7.3.2, after ISO/IEC 18004) and 1X for Data Matrix (§5.6.3.2, after ISO/IEC 16022).
 */
export const MIN_QUIET_ZONE: Record<Symbology, number> = { qr: 4, datamatrix: 1 };

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const codeQuerySchema = z
  .strictObject({
    /** A Digital Link URI, e.g. https://example.com/01/09506000134352/10/ABC. */
    data: z.string().min(1).max(2048).optional(),
    /** Or an element string, `(01)09506000134352(10)ABC`; its URI gets this resolver's origin. */
    element_string: z.string().min(1).max(1024).optional(),
    symbology: z.enum(SYMBOLOGIES).default('qr'),
    format: z.enum(CODE_FORMATS).default('svg'),
    /**
     * Pixels per module in a PNG (a module is the symbol's smallest square); an SVG scales freely.
     * Even, as bwip-js draws a module two units wide and scales by whole numbers.
     */
    size: z.coerce
      .number()
      .int()
      .min(2)
      .max(40)
      .multipleOf(2, 'size must be an even number of pixels')
      .default(8),
    /** QR Code only; GS1 recommends M or higher for Digital Link on packs. */
    error_correction: z.enum(QR_ERROR_CORRECTION).optional(),
    /** Light margin in modules; at least the GS1 minimum for the symbology, which is the default. */
    quiet_zone: z.coerce.number().int().min(0).max(40).optional(),
    /** Encode GS1's compressed form of the URI (shorter: a smaller symbol for the same module size). */
    compressed: flag.default(false),
  })
  .superRefine((q, ctx) => {
    if ((q.data === undefined) === (q.element_string === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'Give exactly one of data or element_string' });
    }
    if (q.error_correction !== undefined && q.symbology !== 'qr') {
      ctx.addIssue({
        code: 'custom',
        path: ['error_correction'],
        message: 'Data Matrix (ECC 200) has a fixed error correction; error_correction is for QR Code only',
      });
    }
    const min = MIN_QUIET_ZONE[q.symbology];
    if (q.quiet_zone !== undefined && q.quiet_zone < min) {
      ctx.addIssue({
        code: 'custom',
        path: ['quiet_zone'],
        message: `GS1 requires a quiet zone of at least ${min} modules around a ${q.symbology === 'qr' ? 'QR Code' : 'Data Matrix'} symbol`,
      });
    }
  });

export type CodeQuery = z.output<typeof codeQuerySchema>;
