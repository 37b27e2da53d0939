'use client';

import { useEffect, useState } from 'react';

/**
 * Whether the page runs inside another page's frame (an EHR's), known once mounted; undefined until
 * then, so the server's render and the first client render agree. A frame of another origin cannot be
 * read, but comparing the windows is allowed.
 */
export function useInFrame(): boolean | undefined {
  const [inFrame, setInFrame] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let framed = true;
    try {
      framed = window.self !== window.top;
    } catch {
      /* refused: framed */
    }
    setInFrame(framed);
  }, []);
  return inFrame;
}
