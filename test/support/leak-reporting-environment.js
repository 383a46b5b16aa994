/**
 * Diagnostic test environment, used only with REPORT_LEAKED_HANDLES=1 (jest.config.js): after a
 * test file's last hook has run, prints the resources (timers, sockets, servers, child processes)
 * it left alive, as counted by Node's process.getActiveResourcesInfo(). A resource left alive
 * keeps the jest worker from exiting ("A worker process has failed to exit gracefully").
 */
const { TestEnvironment } = require('jest-environment-node');

function census() {
  const counts = new Map();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

// How long this worker takes to exit after its last test file (with nothing left alive, the time
// it needs to wind down; jest force-exits a worker after workerGracefulExitTimeout).
let lastTeardownAt = 0;
process.once('exit', () => {
  if (lastTeardownAt > 0) process.stderr.write(`WORKER EXIT ${process.pid}: ${Date.now() - lastTeardownAt} ms after its last test file\n`);
});

class LeakReportingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    this.before = census();
  }

  async teardown() {
    // Let closing handles finish closing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = census();
    const left = [...after].filter(([kind, n]) => n > (this.before.get(kind) ?? 0) && kind !== 'TTYWrap').map(([kind, n]) => `${kind} +${n - (this.before.get(kind) ?? 0)}`);
    if (left.length > 0) process.stderr.write(`LEAKED HANDLES ${this.testPath}: ${left.join(', ')}\n`);
    await super.teardown();
    lastTeardownAt = Date.now();
  }
}

module.exports = LeakReportingEnvironment;
