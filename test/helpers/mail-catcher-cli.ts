import { TestSmtp } from './smtp.js';

/**
 * `npm run mail:catcher`: a local SMTP server on 127.0.0.1 (port 1025, or MAIL_CATCHER_PORT) that prints every mail it
 * receives, for working on the forum's mail without sending any: start the forum with
 * SMTP_URL=smtp://127.0.0.1:1025. Nothing is relayed anywhere; Ctrl-C stops it.
 */
const port = Number(process.env.MAIL_CATCHER_PORT ?? 1025);
const smtp = await TestSmtp.start(port, (mail) => {
  const headers = ['list-unsubscribe', 'list-unsubscribe-post']
    .map((name) => [name, mail.header(name)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('');
  process.stdout.write(
    `\n--- ${new Date().toISOString()}\nfrom: ${mail.from}\nto: ${mail.to}\nsubject: ${mail.subject}\n${headers}\n${mail.text}\n`,
  );
});
process.stdout.write(`Catching mail on ${smtp.url} (start the forum with SMTP_URL=${smtp.url}); Ctrl-C stops.\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void smtp.stop().then(() => process.exit(0)));
}
