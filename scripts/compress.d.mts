import type { IncomingMessage, ServerResponse } from 'node:http';

/** Whether a response to this request URL may be compressed (by path; the content type is checked later). */
export declare function compressible(url: string | undefined): boolean;

/** The compression step of the app's server: call it with (req, res, next) before Next.js handles the request. */
export declare function compressResponses(): (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
) => void;
