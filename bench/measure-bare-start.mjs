// Child process of figure 8: `node bench/measure-bare-start.mjs`. A bare Node.js start in the same
// environment as the handlers' runs: nothing imported, the time from the process's time origin to
// this script's last line. Figure 8 subtracts its median from each handler's ready time.
const readyMs = performance.now();
const cpu = process.cpuUsage();
console.log(JSON.stringify({ readyMs, cpuMs: (cpu.user + cpu.system) / 1000 }));
