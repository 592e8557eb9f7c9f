// Preloaded into a benchmark's hub only (`node --import`), never into a real one: on SIGUSR2 it
// writes process.memoryUsage() and V8's heap spaces as JSON to $M3SHD_MEMORY_PROBE_FILE, so a
// benchmark can see inside the process without the hub serving any memory endpoint.
import fs from 'node:fs';
import v8 from 'node:v8';

const target = process.env.M3SHD_MEMORY_PROBE_FILE;
if (target) {
  process.on('SIGUSR2', () => {
    const heap = v8.getHeapStatistics();
    const report = {
      memoryUsage: process.memoryUsage(),
      mallocedBytes: heap.malloced_memory,
      peakMallocedBytes: heap.peak_malloced_memory,
      spaces: v8.getHeapSpaceStatistics().map((space) => ({ name: space.space_name, size: space.space_size, used: space.space_used_size })),
    };
    fs.writeFileSync(`${target}.tmp`, JSON.stringify(report));
    fs.renameSync(`${target}.tmp`, target);
  });
}
