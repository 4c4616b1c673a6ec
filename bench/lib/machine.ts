import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem, release, platform, arch } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  java: string;
  os: string;
  loadAverage1mAtStart: number;
}

export function machineInfo(): MachineInfo {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    java: (java.stderr || java.stdout || 'not found').split('\n')[0]!.trim(),
    os: `${platform()} ${release()} ${arch()}`,
    loadAverage1mAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export const load1m = () => Math.round(loadavg()[0]! * 100) / 100;
