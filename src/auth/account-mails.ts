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
  return linkMail(to, link, {
    subject: 'Confirm your e-mail address for the essay forum',
    ask: 'Please confirm that this is your e-mail address by opening this link (it works for 48 hours):',
    notYou: 'If you did not give this address to the forum, ignore this mail: nothing will be sent to you again.',
    label: 'Confirm my e-mail address',
  });
}

/** The mail with a password reset link. */
export function passwordResetMail(to: Recipient, link: string): MailMessage {
  return linkMail(to, link, {
    subject: 'Reset your password on the essay forum',
    ask: 'Someone (we hope you) asked to reset your password. Choose a new one here (the link works for one hour, once):',
    notYou: 'If it was not you, ignore this mail: your password stays as it is.',
    label: 'Choose a new password',
  });
}

/** A mail whose point is one link: a greeting, what the link does, what to do if the reader did not ask for it. */
function linkMail(
  to: Recipient,
  link: string,
  words: { subject: string; ask: string; notYou: string; label: string },
): MailMessage {
  const greeting = `Hello ${to.displayName} (@${to.username}),`;
  return {
    to: to.email,
    subject: words.subject,
    text: `${greeting}\n\n${words.ask}\n\n${link}\n\n${words.notYou}\n`,
    html: htmlMail([escapeHtml(greeting), escapeHtml(words.ask), escapeHtml(words.notYou)], {
      href: link,
      label: words.label,
    }),
  };
}
