import { escapeHtml, type MailMessage } from '../mail/mail-message.js';
import { type NotificationKind } from './notification.entity.js';

/** One notification as a mail tells it: what happened, where, and the comment's words as the reader may see them now. */
export interface MailedNotification {
  kind: NotificationKind;
  /** The display name of who did it (null: a user who is gone). */
  actorName: string | null;
  articleTitle: string;
  /** The link to the comment in its thread. */
  commentUrl: string;
  /** The comment's Markdown, as the reader may see it now. */
  body: string;
  /** A moderator's reason (approved, removed, restored); null otherwise. */
  reason: string | null;
}

export interface NotificationMailLinks {
  /** The inbox page. */
  inbox: string;
  /** The account page, where the setting is changed. */
  account: string;
  /** The one-click unsubscribe link (also in the List-Unsubscribe header). */
  unsubscribe: string;
}

/** How much of a comment a mail quotes: the start of it, the link has the rest. */
export const EXCERPT_MAX = 280;
/** How many notifications one mail lists; a digest says how many more wait in the inbox. */
export const MAILED_AT_MOST = 20;
/** How long an essay's title may run in a subject line. */
const TITLE_IN_SUBJECT_MAX = 80;

/**
 * The mail that carries one or more notifications to a reader (instantly, or as the daily digest): a subject that
 * names the essay, a plain-text part and an HTML part with every user-written string escaped, a link to each comment,
 * and how to change the setting or unsubscribe. `more` counts the notifications left out of a digest.
 */
export function notificationMail(
  to: { email: string; displayName: string },
  items: MailedNotification[],
  links: NotificationMailLinks,
  options: { digest: boolean; more?: number },
): Omit<MailMessage, 'headers'> {
  if (items.length === 0) throw new Error('A notification mail needs at least one notification.');
  const more = options.more ?? 0;
  const greeting = `Hello ${to.displayName},`;
  const why = options.digest
    ? 'This is your daily digest of what happened in the discussions you take part in.'
    : 'This happened in the discussions you take part in:';
  const footer =
    `You get this mail because your notification setting is "${options.digest ? 'daily' : 'instant'}". ` +
    'You can change it on your account page, or stop all notification mail with one click:';
  const text = [
    greeting,
    '',
    why,
    '',
    ...items.flatMap((item) => [
      `* ${headline(item)}`,
      ...(item.reason ? [`  Reason: ${oneLine(item.reason)}`] : []),
      ...(item.body ? [quoted(excerpt(item.body))] : []),
      `  ${item.commentUrl}`,
      '',
    ]),
    ...(more > 0 ? [`…and ${more} more in your inbox: ${links.inbox}`, ''] : [`Your inbox: ${links.inbox}`, '']),
    '-- ',
    footer,
    `Account: ${links.account}`,
    `Unsubscribe: ${links.unsubscribe}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><body>',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(why)}</p>`,
    '<ul>',
    ...items.map(
      (item) =>
        `<li><p><a href="${escapeHtml(item.commentUrl)}">${escapeHtml(headline(item))}</a></p>` +
        (item.reason ? `<p>Reason: ${escapeHtml(oneLine(item.reason))}</p>` : '') +
        (item.body ? `<blockquote>${escapeHtml(excerpt(item.body))}</blockquote>` : '') +
        '</li>',
    ),
    '</ul>',
    more > 0
      ? `<p><a href="${escapeHtml(links.inbox)}">…and ${more} more in your inbox</a></p>`
      : `<p><a href="${escapeHtml(links.inbox)}">Your inbox</a></p>`,
    `<p><small>${escapeHtml(footer)} <a href="${escapeHtml(links.account)}">Account</a> · ` +
      `<a href="${escapeHtml(links.unsubscribe)}">Unsubscribe</a></small></p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { to: to.email, subject: subjectOf(items, more, options.digest), text, html };
}

/** What happened, in one line, naming the essay. */
export function headline(item: MailedNotification): string {
  const who = item.actorName ?? 'Someone';
  const where = `“${item.articleTitle}”`;
  switch (item.kind) {
    case 'reply':
      return `${who} replied to your comment in ${where}`;
    case 'mention':
      return `${who} mentioned you in ${where}`;
    case 'quote':
      return `${who} quoted your comment in ${where}`;
    case 'followed':
      return `${who} commented in ${where}, a discussion you follow`;
    case 'approved':
      return `A moderator approved your comment in ${where}`;
    case 'removed':
      return `A moderator removed your comment in ${where}`;
    case 'restored':
      return `A moderator restored your comment in ${where}`;
  }
}

/**
 * One notification: its headline. Several: how many, in which essay (the one with most of them, and how many other
 * essays). Always one line (a subject is a header) and the essay named.
 */
export function subjectOf(items: MailedNotification[], more: number, digest: boolean): string {
  const total = items.length + more;
  const byEssay = new Map<string, number>();
  for (const item of items) byEssay.set(item.articleTitle, (byEssay.get(item.articleTitle) ?? 0) + 1);
  const [mainTitle] = [...byEssay].sort((a, b) => b[1] - a[1])[0];
  const title = `“${shorten(oneLine(mainTitle), TITLE_IN_SUBJECT_MAX)}”`;
  const others = byEssay.size - 1;
  const where = others > 0 ? `${title} and ${others} other essay${others === 1 ? '' : 's'}` : title;
  if (digest) return `Your daily digest: ${total} notification${total === 1 ? '' : 's'} in ${where}`;
  if (total === 1) return oneLine(headline({ ...items[0], articleTitle: shorten(items[0].articleTitle, 80) }));
  return `${total} new notifications in ${where}`;
}

/** The start of a comment's text, on as few lines as it had, cut at a word when it is long. */
export function excerpt(body: string): string {
  const text = body
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return shorten(text, EXCERPT_MAX);
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function quoted(text: string): string {
  return text
    .split('\n')
    .map((line) => `  > ${line}`)
    .join('\n');
}
