import { escapeHtml, htmlMail, type MailMessage } from '../mail/mail-message.js';

/** How long a verification link works. */
export const VERIFY_EMAIL_TTL_MS = 48 * 3_600_000;
/** How long a password reset link works (CONTRACT.md: one hour). */
export const PASSWORD_RESET_TTL_MS = 3_600_000;

interface Recipient {
  email: string;
  displayName: string;
  username: string;
}

/** The mail that verifies a new address: the link, and what to do if the reader did not ask for it. */
export function verificationMail(to: Recipient, link: string): MailMessage {
  const subject = 'Confirm your e-mail address for the essay forum';
  const greeting = `Hello ${to.displayName} (@${to.username}),`;
  const ask = 'Please confirm that this is your e-mail address by opening this link (it works for 48 hours):';
  const notYou = 'If you did not give this address to the forum, ignore this mail: nothing will be sent to you again.';
  return {
    to: to.email,
    subject,
    text: `${greeting}\n\n${ask}\n\n${link}\n\n${notYou}\n`,
    html: htmlMail([escapeHtml(greeting), escapeHtml(ask), escapeHtml(notYou)], {
      href: link,
      label: 'Confirm my e-mail address',
    }),
  };
}

/** The mail with a password reset link. */
export function passwordResetMail(to: Recipient, link: string): MailMessage {
  const subject = 'Reset your password on the essay forum';
  const greeting = `Hello ${to.displayName} (@${to.username}),`;
  const ask =
    'Someone (we hope you) asked to reset your password. Choose a new one here (the link works for one hour, once):';
  const notYou = 'If it was not you, ignore this mail: your password stays as it is.';
  return {
    to: to.email,
    subject,
    text: `${greeting}\n\n${ask}\n\n${link}\n\n${notYou}\n`,
    html: htmlMail([escapeHtml(greeting), escapeHtml(ask), escapeHtml(notYou)], {
      href: link,
      label: 'Choose a new password',
    }),
  };
}
