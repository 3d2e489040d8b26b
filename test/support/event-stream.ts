/** A test client for the SSE endpoint: records every event with its arrival time. */
export interface OpenStream {
  status: number;
  events: { type: string; data: any; at: number }[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  next(type: string, timeoutMs?: number): Promise<{ type: string; data: any; at: number }>;
  close(): void;
}

export async function openEventStream(baseUrl: string, headers: Record<string, string>): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events`, { headers, signal: controller.signal });
  const events: OpenStream['events'] = [];
  const waiters: (() => void)[] = [];
  let endedResolve!: () => void;
  const ended = new Promise<void>((r) => (endedResolve = r));
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let split;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, split);
            buffer = buffer.slice(split + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (type && data) {
              events.push({ type, data: JSON.parse(data), at: performance.now() });
              waiters.splice(0).forEach((w) => w());
            }
          }
        }
      } catch {
        /* aborted */
      }
      endedResolve();
    })();
  } else {
    endedResolve();
  }
  return {
    status: response.status,
    events,
    ended,
    next(type, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const seen = events.length;
        const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          const found = events.slice(seen).find((e) => e.type === type);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => controller.abort(),
  };
}
