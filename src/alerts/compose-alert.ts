import type { Alert } from './alert.js';

const OUTCOME: Record<Alert['status'], string> = {
  succeeded: 'succeeded',
  rolled_back: 'failed — rolled back',
  failed: 'failed — needs attention',
  interrupted: 'interrupted — needs attention',
  running: 'is running',
  planned: 'was planned',
  test: 'test alert',
};

/** `[trapheus] restore of db1 failed — rolled back`. */
export function alertSubject(alert: Alert): string {
  if (alert.status === 'test') return `[trapheus] test alert from ${alert.host}`;
  return `[trapheus] ${alert.command} of ${alert.cluster ? 'cluster ' : ''}${alert.identifier} ${OUTCOME[alert.status]}`;
}

/** The facts as label/value rows, in the order every channel shows them. */
export function alertFacts(alert: Alert): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Run', alert.runId],
    ['Command', alert.command],
    [alert.cluster ? 'Cluster' : 'DB instance', alert.identifier],
    ['Region', alert.region],
    ['Account', alert.accountId],
    ['Failed step', alert.failedStep],
    ['Error', alert.error ? `${alert.error.name}: ${alert.error.message}` : undefined],
    // A snapshot of the database itself says enough; another database's or a point in time is said as such.
    ['Data from', alert.source?.startsWith('snapshot ') && !alert.source.includes(' of ') ? undefined : alert.source],
    ['Snapshot', alert.snapshotIdentifier],
    ['Master password secret', alert.masterUserSecretArn],
    ['Started', alert.startedAt],
    ['Ended', alert.endedAt],
    ['Duration', duration(alert)],
    ['Host', alert.host],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}

/** What to run next. */
export function alertNextSteps(alert: Alert): string[] {
  return [...(alert.resumeCommand ? [alert.resumeCommand] : []), alert.statusCommand];
}

/** The plain-text part of the e-mail (and the Slack fallback text). */
export function alertText(alert: Alert): string {
  const lines = [alertSubject(alert), ''];
  if (alert.situation.length > 0) lines.push(...alert.situation, '');
  for (const [label, value] of alertFacts(alert)) lines.push(`${label}: ${value}`);
  if (alert.warnings.length > 0) lines.push('', 'Warnings:', ...alert.warnings.map((w) => `- ${w}`));
  lines.push('', 'Next:', ...alertNextSteps(alert).map((c) => `  ${c}`));
  return lines.join('\n');
}

/** The HTML part of the e-mail; every value is escaped. */
export function alertHtml(alert: Alert): string {
  const rows = alertFacts(alert)
    .map(([label, value]) => `<tr><th align="left" style="padding:2px 12px 2px 0">${escape(label)}</th><td>${escape(value)}</td></tr>`)
    .join('');
  const situation = alert.situation.map((s) => `<p><strong>${escape(s)}</strong></p>`).join('');
  const warnings =
    alert.warnings.length > 0 ? `<p>Warnings:</p><ul>${alert.warnings.map((w) => `<li>${escape(w)}</li>`).join('')}</ul>` : '';
  const next = alertNextSteps(alert)
    .map((c) => `<code>${escape(c)}</code>`)
    .join('<br>');
  return `<!doctype html><html><body style="font-family:sans-serif"><h2>${escape(alertSubject(alert))}</h2>${situation}<table>${rows}</table>${warnings}<p>Next:<br>${next}</p></body></html>`;
}

/** A Slack message: blocks for people, `text` as the notification fallback. */
export function alertSlackPayload(alert: Alert): { text: string; blocks: unknown[] } {
  const facts = alertFacts(alert).map(([label, value]) => `*${slack(label)}:* ${slack(value)}`);
  return {
    text: `${alertSubject(alert)}${alert.situation[0] ? ` — ${alert.situation[0]}` : ''}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: alertSubject(alert).slice(0, 150) } },
      ...(alert.situation.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: slack(alert.situation.join('\n')) } }] : []),
      { type: 'section', text: { type: 'mrkdwn', text: facts.join('\n').slice(0, 3000) } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: alertNextSteps(alert)
            .map((c) => `\`${c}\``)
            .join('\n'),
        },
      },
    ],
  };
}

function duration(alert: Alert): string | undefined {
  if (!alert.startedAt || !alert.endedAt) return undefined;
  const seconds = Math.round((Date.parse(alert.endedAt) - Date.parse(alert.startedAt)) / 1000);
  return Number.isFinite(seconds) ? `${seconds} s` : undefined;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Slack mrkdwn needs &, < and > escaped. */
function slack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
