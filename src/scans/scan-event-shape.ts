// The shape of one recorded scan, import-free so Node scripts (bench/) can use it too.
export interface ScanEvent {
  id: string;
  orgId: string | null;
  occurredAt: number;
  keyAi: string;
  keyValue: string;
  cpv: string | null;
  lot: string | null;
  serial: string | null;
  attributes: Record<string, string>;
  country: string | null;
  region: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  timezone: string | null;
  colo: string | null;
  referrer: string | null;
  app: string | null;
  deviceClass: string;
  isBot: boolean;
  /** What the resolver answered. */
  outcome: 'redirect' | 'linkset' | 'multiple' | 'not_found';
  linkType: string | null;
  ruleId: string | null;
  destination: string | null;
  language: string | null;
  scannerHash: string;
}
