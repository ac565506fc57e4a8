/*
 * The three tables of GS1 Digital Link compression (GS1 Digital Link standard 1.2;
 * now the GS1 Digital Link: Compression technical standard), as GS1's reference implementation
 * holds them:
 *
 *   gs1/GS1DigitalLinkCompressionPrototype, src/GS1DigitalLinkToolkit.js
 *   @ 21a894b65dc9c2ebd26868beee6a3d9343af4b99 (tableP, tableF, tableOpt), Apache License 2.0.
 *
 * Only the data is taken, rewritten one line per AI range; test/digital-link/compression.test.ts
 * checks the expansion. Compression uses these tables, not the Syntax Dictionary: their component
 * split differs (e.g. (8003) is N14 X..16 here, N1 N13 X..16 there) and changes the bits.
 *
 * Left out: (7040), whose second component the reference table spells {"E":"X","N":"3"}, which
 * its encoder ignores, so a compressed (7040) would lose its last three characters.
 */

/** Digits in an AI, by its first two digits (table P); a prefix not listed cannot be compressed. */
export const AI_LENGTH_BY_PREFIX: Readonly<Record<string, number>> = {
  '00': 2,
  '01': 2,
  '02': 2,
  '10': 2,
  '11': 2,
  '12': 2,
  '13': 2,
  '15': 2,
  '16': 2,
  '17': 2,
  '20': 2,
  '21': 2,
  '22': 2,
  '23': 3,
  '24': 3,
  '25': 3,
  '30': 2,
  '31': 4,
  '32': 4,
  '33': 4,
  '34': 4,
  '35': 4,
  '36': 4,
  '37': 2,
  '39': 4,
  '40': 3,
  '41': 3,
  '42': 3,
  '43': 4,
  '70': 4,
  '71': 3,
  '72': 4,
  '80': 4,
  '81': 4,
  '82': 4,
  '90': 2,
  '91': 2,
  '92': 2,
  '93': 2,
  '94': 2,
  '95': 2,
  '96': 2,
  '97': 2,
  '98': 2,
  '99': 2,
};

/**
 * The value format of each AI (table F): components in order, `N6` six digits, `N..8` up to eight
 * digits, `X..20` up to twenty characters, `X2` exactly two. `3100-3105` is a range of AIs.
 */
export const VALUE_FORMATS = `
00 N18
01-02 N14
10 X..20
11-13 N6
15-17 N6
20 N2
21-22 X..20
235 N3 X..28
240-241 X..30
242 N..6
243 X..20
250-251 X..30
253 N13 X..17
254 X..20
255 N13 N..12
30 N..8
3100-3105 N6
3110-3115 N6
3120-3125 N6
3130-3135 N6
3140-3145 N6
3150-3155 N6
3160-3165 N6
3200-3205 N6
3210-3215 N6
3220-3225 N6
3230-3235 N6
3240-3245 N6
3250-3255 N6
3260-3265 N6
3270-3275 N6
3280-3285 N6
3290-3295 N6
3300-3305 N6
3310-3315 N6
3320-3325 N6
3330-3335 N6
3340-3345 N6
3350-3355 N6
3360-3365 N6
3370-3375 N6
3400-3405 N6
3410-3415 N6
3420-3425 N6
3430-3435 N6
3440-3445 N6
3450-3455 N6
3460-3465 N6
3470-3475 N6
3480-3485 N6
3490-3495 N6
3500-3505 N6
3510-3515 N6
3520-3525 N6
3530-3535 N6
3540-3545 N6
3550-3555 N6
3560-3565 N6
3570-3575 N6
3600-3605 N6
3610-3615 N6
3620-3625 N6
3630-3635 N6
3640-3645 N6
3650-3655 N6
3660-3665 N6
3670-3675 N6
3680-3685 N6
3690-3695 N6
37 N..8
3900-3909 N..15
3910-3919 N3 N..15
3920-3929 N..15
3930-3939 N3 N..15
3940-3943 N4
3950-3959 N6
400-401 X..30
402 N17
403 X..30
410-417 N13
420 X..20
421 N3 X..9
422 N3
423 N3 N..12
424 N3
425 N3 N..12
426 N3
427 X..3
4300-4301 X..35
4302-4306 X..70
4307 X2
4308 X..30
4309 N20
4310-4311 X..35
4312-4316 X..70
4317 X2
4318 X..20
4319 X..30
4320 X..35
4321-4323 N1
4324-4325 N10
4326 N6
7001 N13
7002 X..30
7003 N10
7004 N..4
7005 X..12
7006 N6
7007 N6 N..6
7008 X..3
7009 X..10
7010 X..2
7020-7022 X..20
7023 X..30
7030-7039 N3 X..27
710-714 X..20
7230-7239 X..30
7240 X..20
8001 N14
8002 X..20
8003 N14 X..16
8004 X..30
8005 N6
8006 N18
8007 X..24
8008 N8 N..4
8009 X..50
8010 X..30
8011 N..12
8012 X..20
8013 X..30
8017-8018 N18
8019 N..10
8020 X..25
8026 N18
8110 X..70
8111 N4
8112 X..70
8200 X..70
90 X..30
91-99 X..90
`;

/**
 * Optimisation codes (table Opt): one hex pair that stands for a sequence of AIs, in the
 * reference's order, which decides ties when the compressor picks the longest sequence.
 */
export const OPTIMISATION_SEQUENCES: readonly (readonly [code: string, ais: readonly string[]])[] = [
  ['0A', ['01', '22']],
  ['0B', ['01', '10']],
  ['0C', ['01', '21']],
  ['0D', ['01', '17']],
  ['0E', ['01', '7003']],
  ['0F', ['01', '30']],
  ['1A', ['01', '10', '21', '17']],
  ['1B', ['01', '15']],
  ['1C', ['01', '11']],
  ['1D', ['01', '16']],
  ['1E', ['01', '91']],
  ['1F', ['01', '10', '15']],
  ['2A', ['01', '3100']],
  ['2B', ['01', '3101']],
  ['2C', ['01', '3102']],
  ['2D', ['01', '3103']],
  ['2E', ['01', '3104']],
  ['2F', ['01', '3105']],
  ['3A', ['01', '3200']],
  ['3B', ['01', '3201']],
  ['3C', ['01', '3202']],
  ['3D', ['01', '3203']],
  ['3E', ['01', '3204']],
  ['3F', ['01', '3205']],
  ['9A', ['8010', '8011']],
  ['9B', ['8017', '8019']],
  ['9C', ['8018', '8019']],
  ['9D', ['414', '254']],
  ['A0', ['01', '3920']],
  ['A1', ['01', '3921']],
  ['A2', ['01', '3922']],
  ['A3', ['01', '3923']],
  ['A4', ['01', '3924']],
  ['A5', ['01', '3925']],
  ['A6', ['01', '3926']],
  ['A7', ['01', '3927']],
  ['A8', ['01', '3928']],
  ['A9', ['01', '3929']],
  ['C0', ['255', '3900']],
  ['C1', ['255', '3901']],
  ['C2', ['255', '3902']],
  ['C3', ['255', '3903']],
  ['C4', ['255', '3904']],
  ['C5', ['255', '3905']],
  ['C6', ['255', '3906']],
  ['C7', ['255', '3907']],
  ['C8', ['255', '3908']],
  ['C9', ['255', '3909']],
  ['CA', ['255', '3940']],
  ['CB', ['255', '3941']],
  ['CC', ['255', '3942']],
  ['CD', ['255', '3943']],
];
