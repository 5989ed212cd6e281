import * as fs from "node:fs";
import * as path from "node:path";
import { median } from "../timing";

/** Writes of the baseline: one sample says little (see `plainWrite`). */
const SAMPLES = 7;

export interface PlainWrite {
  /** The median of the samples: the baseline the ratios divide by. */
  ms: number;
  min: number;
  max: number;
  cpu: number;
}

/**
 * Writes `bytes` bytes to a new file in `dir`, fsyncs and closes it, SAMPLES times (each file
 * removed after), and returns the median. On this project's test machines the first such write in
 * a process sometimes takes 250–600 ms and the others 105–135 ms (a virtual disk the host caches),
 * so a single write made every ratio four times smaller than the machine's usual plain write.
 */
export function plainWrite(dir: string, bytes: number): PlainWrite {
  const payload = Buffer.alloc(bytes, 7);
  const times: number[] = [];
  const cpus: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    const file = path.join(dir, `plain-${sample}.bin`);
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const fd = fs.openSync(file, "w");
    fs.writeSync(fd, payload);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuBefore);
    cpus.push((cpu.user + cpu.system) / 1000);
    fs.rmSync(file);
  }
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), cpu: median(cpus) };
}

/** The baseline's row label, with the spread of its samples. */
export function plainWriteLabel(write: PlainWrite): string {
  return `plain write + fsync of the same bytes (baseline: median of ${SAMPLES}, ${write.min.toFixed(0)}–${write.max.toFixed(0)} ms)`;
}
