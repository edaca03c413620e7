import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far by a process, from /proc (USER_HZ is 100 on Linux). */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) / 100;
}

/** The p-th percentile of an ascending list (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
