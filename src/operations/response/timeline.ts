// One timeline per case: every task, who did what and when, and the minutes from filing to each
// step; and for the victim's app a plain-language summary in the victim's language.
import type { ResponseTasksTable } from '../../store/response/schema.js';
import { matchLocale } from '../../i18n/locale.js';
import { taskView } from './tasks.js';
import type { TaskKind, TaskStep, TaskView } from './tasks.js';

export type SummaryLanguage = 'en' | 'zh';

export interface TimelineTask extends TaskView {
  steps: (TaskStep & { minutesFromFiling: number })[];
}

export interface TimelineEntry {
  at: string;
  minutesFromFiling: number;
  taskId: string;
  kind: TaskKind;
  identifier: string;
  action: TaskStep['action'];
  organisation: string | null;
  person: string | null;
  outcome?: string;
  reason?: string;
}

function minutesBetween(from: string, to: string): number {
  return Math.round(((Date.parse(to) - Date.parse(from)) / 60_000) * 10) / 10;
}

export function timelineOf(filedAt: string, rows: readonly ResponseTasksTable[], now: number): { tasks: TimelineTask[]; timeline: TimelineEntry[] } {
  const tasks = rows.map((r) => {
    const v = taskView(r, now);
    return { ...v, steps: v.steps.map((s) => ({ ...s, minutesFromFiling: minutesBetween(filedAt, s.at) })) };
  });
  const timeline: TimelineEntry[] = tasks
    .flatMap((t) =>
      t.steps.map((s) => ({
        at: s.at,
        minutesFromFiling: s.minutesFromFiling,
        taskId: t.id,
        kind: t.kind,
        identifier: t.identifier,
        action: s.action,
        organisation: s.organisation ?? (s.action === 'created' ? t.organisation : null),
        person: s.person,
        ...(s.outcome !== undefined ? { outcome: s.outcome } : {}),
        ...(s.reason !== undefined ? { reason: s.reason } : {}),
      })),
    )
    .sort((a, b) => a.at.localeCompare(b.at) || a.taskId.localeCompare(b.taskId));
  return { tasks, timeline };
}

/** The victim's language: the app's Accept-Language when it names en or zh, else the policy's, else English. */
export function pickLanguage(acceptLanguage: string | undefined, policyLanguage: string | undefined): SummaryLanguage {
  // The same negotiation as every reply (q-values honoured, src/i18n/locale.ts); zh-TW readers get
  // the Chinese sentences too.
  const fromHeader = acceptLanguage === undefined ? undefined : matchLocale(acceptLanguage);
  if (fromHeader) return fromHeader === 'en' ? 'en' : 'zh';
  if (policyLanguage?.toLowerCase().startsWith('zh')) return 'zh';
  return 'en';
}

const WHO: Record<SummaryLanguage, Record<TaskKind, (id: string) => string>> = {
  en: {
    'review': () => 'The police',
    'trace-and-suspend': (id) => `The phone company that holds the number ${id}`,
    'suspend-account': (id) => `The platform behind ${id}`,
    'freeze-preparation': (id) => `The bank that holds the account ${id}`,
  },
  zh: {
    'review': () => '警方',
    'trace-and-suspend': (id) => `号码 ${id} 所属的电信运营商`,
    'suspend-account': (id) => `${id} 所在的平台`,
    'freeze-preparation': (id) => `收款账户 ${id} 所在的银行`,
  },
};

const ASKED: Record<SummaryLanguage, Record<TaskKind, string>> = {
  en: {
    'review': 'review your case',
    'trace-and-suspend': 'trace the calls and stop the number',
    'suspend-account': 'suspend the account that called you',
    'freeze-preparation': 'hold the money in that account',
  },
  zh: {
    'review': '审查您的案件',
    'trace-and-suspend': '追查来电并停用该号码',
    'suspend-account': '封停联系您的账号',
    'freeze-preparation': '暂停该账户的资金转出',
  },
};

function line(lang: SummaryLanguage, t: TimelineTask): string {
  const who = WHO[lang][t.kind](t.identifier);
  const asked = ASKED[lang][t.kind];
  const last = t.steps[t.steps.length - 1]!;
  const mins = Math.round(last.minutesFromFiling);
  if (lang === 'zh') {
    switch (t.status) {
      case 'open':
        return `${who}已被要求${asked}，尚未回复。`;
      case 'accepted':
        return `${who}正在处理（您报案后 ${mins} 分钟接手）。`;
      case 'done':
        return `${who}已完成：${last.outcome ?? ''}（您报案后 ${mins} 分钟）。`;
      case 'refused':
        return `${who}未能处理：${last.reason ?? ''}。`;
      case 'escalated':
        return `${who}未在时限内${asked}，已报告监管部门。`;
    }
  }
  switch (t.status) {
    case 'open':
      return `${who} has been asked to ${asked} and has not answered yet.`;
    case 'accepted':
      return `${who} is working on it (took it ${mins} minutes after you filed).`;
    case 'done':
      return `${who} has acted: ${last.outcome ?? ''} (${mins} minutes after you filed).`;
    case 'refused':
      return `${who} could not act: ${last.reason ?? ''}.`;
    case 'escalated':
      return `${who} did not ${asked} in time; the regulator has been told.`;
  }
}

/** What the victim's app shows: one sentence per task, in the victim's language. */
export function plainSummary(lang: SummaryLanguage, tasks: readonly TimelineTask[]): { language: SummaryLanguage; headline: string; lines: string[] } {
  const done = tasks.filter((t) => t.status === 'done').length;
  const headline =
    lang === 'zh'
      ? `您的案件已通知 ${tasks.length} 个相关方，其中 ${done} 个已采取行动。`
      : `Your case went to ${tasks.length} ${tasks.length === 1 ? 'party' : 'parties'}; ${done} ${done === 1 ? 'has' : 'have'} acted so far.`;
  return { language: lang, headline, lines: tasks.map((t) => line(lang, t)) };
}
