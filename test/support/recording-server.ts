/** A real HTTP server on 127.0.0.1 (random port) that records every request and answers from a script. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the client's timeout is under test). */
  hang?: boolean;
}

export interface RecordingServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Answers to give, in order; when empty, `fallback` answers. */
  script: ScriptedResponse[];
  fallback: (request: RecordedRequest) => ScriptedResponse;
  close(): Promise<void>;
}

export async function startRecordingServer(fallback: (request: RecordedRequest) => ScriptedResponse = () => ({ status: 200, body: 'ok' })): Promise<RecordingServer> {
  const recorder: Omit<RecordingServer, 'baseUrl' | 'close'> = { requests: [], script: [], fallback };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      recorder.requests.push(request);
      const answer = recorder.script.shift() ?? recorder.fallback(request);
      if (answer.hang) return;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(recorder, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}
