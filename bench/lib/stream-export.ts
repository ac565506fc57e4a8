// Streams a CSV export from the served Worker and counts what arrives, without keeping it: lines
// are counted on the raw bytes as they come (the client must not be what limits rows/s on two
// shared cores), and only the header line is kept to check it.
import http from 'node:http';

export interface StreamedCsv {
  status: number;
  contentType: string;
  contentDisposition: string;
  /** The first line, without its CRLF. */
  header: string;
  /** Records after the header (CRLF-terminated lines; the generated data has no line breaks inside cells). */
  rows: number;
  bytes: number;
  /** From sending the request to the last byte. */
  ms: number;
  /** The body ended with a line terminator, i.e. the last record arrived whole. */
  endsWithNewline: boolean;
}

/** `onProgress` is called after every chunk with the lines received so far (header included). */
export function streamCsv(
  url: string,
  headers: Record<string, string>,
  onProgress?: (lines: number) => void,
): Promise<StreamedCsv> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { headers }, (res) => {
      let lines = 0;
      let bytes = 0;
      let head = '';
      let headDone = false;
      let last = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (!headDone) {
          const end = chunk.indexOf(10);
          head += chunk.toString('utf8', 0, end === -1 ? chunk.length : end + 1);
          headDone = end !== -1;
        }
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
        last = chunk[chunk.length - 1] ?? last;
        onProgress?.(lines);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          contentDisposition: String(res.headers['content-disposition'] ?? ''),
          header: head.replace(/\r?\n$/, ''),
          rows: Math.max(0, lines - 1),
          bytes,
          ms: performance.now() - started,
          endsWithNewline: last === 10,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
