// Where the resolver sends the scan of a blocked code: its own warning page, /p/blocked/<id>. The
// scan records that URL as its destination, which is also how the detectors learn the block's id.

const PREFIX = '/p/blocked/';

export function warningPageUrl(origin: string, blockId: string): string {
  return `${origin}${PREFIX}${blockId}`;
}

/** The block id of a warning page URL (a blocked scan's destination), or null. */
export function blockIdOfWarningPage(destination: string | null): string | null {
  if (!destination) return null;
  const at = destination.indexOf(PREFIX);
  return at === -1 ? null : destination.slice(at + PREFIX.length) || null;
}
