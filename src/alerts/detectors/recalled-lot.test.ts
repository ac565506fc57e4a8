import { describe, expect, it } from 'vitest';
import { detectRecalledLot } from './recalled-lot';
import { T0, testScan } from './test-scans';

const recall = { lot: 'L1', recalledAt: T0 - 86_400_000, reason: 'Seal defect' };

describe('recalled lot detector', () => {
  it('fires, low severity, for a scan of a recalled lot', () => {
    const alert = detectRecalledLot(testScan({ lot: 'L1' }), {
      productRecalled: false,
      recalledLots: [recall],
    });
    expect(alert).toMatchObject({ type: 'recalled_lot', severity: 'low', subject: 'lot:L1', lot: 'L1' });
    expect(alert!.evidence).toMatchObject({
      recall: 'lot',
      reason: 'Seal defect',
      recalled_at: new Date(recall.recalledAt).toISOString(),
    });
  });

  it('does not fire for other lots or scans without a lot', () => {
    expect(
      detectRecalledLot(testScan({ lot: 'L2' }), { productRecalled: false, recalledLots: [recall] }),
    ).toBeNull();
    expect(
      detectRecalledLot(testScan({ lot: null }), { productRecalled: false, recalledLots: [recall] }),
    ).toBeNull();
  });

  it('fires for any scan of a product recalled as a whole', () => {
    const alert = detectRecalledLot(testScan({ lot: null }), { productRecalled: true, recalledLots: [] });
    expect(alert).toMatchObject({ subject: 'product', evidence: { recall: 'product' } });
  });
});
