/**
 * Prometheus text exposition format (version 0.0.4): HELP and TYPE once per family, then its
 * samples, label values escaped, numbers in Go's float form. Pure, so it can be checked
 * against promtool in tests.
 */
export type Sample = {labels?: Record<string, string>; value: number};
export type Family = {name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[]};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function renderMetrics(families: readonly Family[]): string {
	const out: string[] = [];
	for (const f of families) {
		if (!NAME.test(f.name)) throw new Error(`invalid metric name ${f.name}`);
		out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
		out.push(`# TYPE ${f.name} ${f.type}`);
		for (const s of f.samples) out.push(`${f.name}${labels(s.labels)} ${number(s.value)}`);
	}
	return `${out.join('\n')}\n`;
}

function labels(l: Record<string, string> | undefined): string {
	if (!l) return '';
	const parts = Object.entries(l).map(([k, v]) => {
		if (!LABEL.test(k)) throw new Error(`invalid label name ${k}`);
		return `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
	});
	return parts.length ? `{${parts.join(',')}}` : '';
}

function number(v: number): string {
	if (Number.isNaN(v)) return 'NaN';
	if (v === Infinity) return '+Inf';
	if (v === -Infinity) return '-Inf';
	return String(v);
}
