/** The CLI's output streams captured in memory, for tests that run the real CLI program (runCli). */
export function capturedCliIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), setExitCode: () => undefined, isTTY: false, columns: 120 },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
