import { readFileSync } from 'node:fs';

/** CPU seconds a process used so far in user space and in the kernel (its system calls, and softirq work charged to it). */
export interface CpuTimes {
	readonly user: number;
	readonly sys: number;
}

/** User and system CPU seconds used so far by a process: utime and stime of /proc/<pid>/stat (USER_HZ is 100 on Linux). */
export function cpuTimes(pid: number): CpuTimes {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after "(comm) ": state is f[0], so utime (field 14 of stat) is f[11] and stime f[12].
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 };
}

/** CPU seconds (user + system) used so far by a process. */
export function cpuSeconds(pid: number): number {
	const t = cpuTimes(pid);
	return t.user + t.sys;
}

/** The p-th percentile of an ascending list (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
