// Child process of figure 8: `node bench/measure-cold-init.mjs <bundle.mjs>`.
// Imports one bundled handler (its module scope builds the middy chain), then constructs its
// dependencies (every exported lazy `*Dependencies` / store: SDK clients, store, notifiers), and
// prints one JSON line. Times are from the process's own time origin, so Node's bootstrap counts.
const bundle = process.argv[2];
const scriptStart = performance.now();
const module = await import(bundle);
const imported = performance.now();
let constructed = 0;
for (const value of Object.values(module)) {
  if (value && typeof value === 'object' && typeof value.get === 'function') {
    value.get();
    constructed++;
  }
}
const ready = performance.now();
// CPU time (user + system, every thread of the process) up to the same point: what a busy machine
// stretches least, since waiting for a core is not counted.
const cpu = process.cpuUsage();
if (typeof module.handler !== 'function') throw new Error(`${bundle} exports no handler function`);
console.log(JSON.stringify({ bootstrapMs: scriptStart, importMs: imported - scriptStart, constructMs: ready - imported, readyMs: ready, cpuMs: (cpu.user + cpu.system) / 1000, lazyDependencies: constructed }));
