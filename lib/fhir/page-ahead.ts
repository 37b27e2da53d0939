import 'server-only';
import { nextLinkHint } from './bundle';
import { fhirGet, type FhirGetOptions, type FhirResponse } from './http';

interface Request {
  readonly url: string;
  readonly answer: Promise<FhirResponse>;
  readonly stop: AbortController;
  /** The next link seen in the answer's text, once it arrived. */
  hint?: string;
  /** Links already read, set once the search waits for this request: its hint may then be asked for. */
  following?: ReadonlySet<string>;
}

/**
 * Reads a search's pages one after the other, asking for the next page while
 * the current one is parsed and cut down: its link is in the text before the
 * entries (nextLinkHint). At most one page is asked for ahead. When the
 * parsed Bundle's link turns out different, the early request is cancelled and
 * its answer never used, so what is read and recorded is exactly the pages the
 * search followed.
 */
export class PageAhead {
  private next: Request | undefined;

  constructor(
    private readonly opts: FhirGetOptions,
    private readonly origin: string,
  ) {}

  /** The answer for `url`; `following` (the links read so far) allows asking for the page after it. */
  read(url: string, following: ReadonlySet<string> | undefined): Promise<FhirResponse> {
    let req = this.next;
    this.next = undefined;
    if (req?.url !== url) {
      req?.stop.abort();
      req = this.request(url);
    }
    if (following) {
      req.following = following;
      this.askAfter(req);
    }
    return req.answer;
  }

  cancel(): void {
    this.next?.stop.abort();
    this.next = undefined;
  }

  private request(url: string): Request {
    const stop = new AbortController();
    const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, stop.signal]) : stop.signal;
    const req: Request = {
      url,
      stop,
      answer: fhirGet(url, {
        ...this.opts,
        signal,
        peek: (text) => {
          req.hint = nextLinkHint(text);
          this.askAfter(req);
        },
      }),
    };
    // An early request whose answer is never awaited must not become an unhandled rejection.
    req.answer.catch(() => undefined);
    return req;
  }

  private askAfter(req: Request): void {
    const { hint, following } = req;
    if (this.next || hint === undefined || following === undefined) return;
    if (following.has(hint) || !sameOrigin(hint, this.origin)) return;
    this.next = this.request(hint);
  }
}

export function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
