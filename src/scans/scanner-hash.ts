// Unique scanners without storing who they are: HMAC-SHA256 over (UTC day, client address,
// User-Agent) under a secret. The day is part of the message, so the same phone hashes
// differently tomorrow: counts are per day and nothing links a person across days.
import { hmacSha256Hex } from '../crypto/hmac-sha256';
import { utcDay } from './scan-dimensions';

export async function scannerHash(
  secret: string,
  at: number,
  clientAddress: string,
  userAgent: string,
): Promise<string> {
  // The first 128 bits: plenty to tell a day's scanners apart.
  return hmacSha256Hex(secret, `${utcDay(at)}|${clientAddress}|${userAgent}`, 16);
}
