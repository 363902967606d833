import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { RateLimited } from '../common/rate-limit/rate-limit.js';
import { escapeHtml } from '../mail/mail-message.js';
import { AccountService } from './account.service.js';
import { UnsubscribedDto } from './dto/account.dto.js';

/** The pages carry no script, style or image: the form posts back to the same address, nothing else is allowed. */
const PAGE_POLICY = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const TOKEN = /^\d{1,19}\.[A-Za-z0-9_-]{43}$/;

/**
 * One-click unsubscribe from notification mail (RFC 8058), the link of every notification mail's List-Unsubscribe.
 * POST needs no session and no Origin, deliberately: a mail client posts it from no page at all (a background request
 * with `List-Unsubscribe=One-Click`), and the token alone says whose mail stops. It can do nothing else, so a forged
 * cross-site POST could at most do what the link's holder asked for. GET only shows a page with a button that POSTs
 * (link checkers and mail scanners open links: they must not unsubscribe anyone).
 */
@ApiTags('accounts')
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(private readonly accounts: AccountService) {}

  @Get()
  @ApiOperation({ summary: 'The page with the unsubscribe button (an HTML page, no script)' })
  @ApiQuery({ name: 'token', required: true })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page' })
  @ApiNotFoundResponse({ description: 'The token names nobody' })
  async page(@Query('token') token: unknown, @Res() res: Response): Promise<void> {
    const valid = typeof token === 'string' && TOKEN.test(token) && (await this.accounts.isUnsubscribeToken(token));
    if (!valid) return sendPage(res, 404, 'Unknown link', ['This unsubscribe link is unknown or out of date.']);
    const action = `?token=${encodeURIComponent(token)}`;
    sendPage(
      res,
      200,
      'Unsubscribe',
      [
        '<p>Stop all notification mail from the essay forum? You can turn it on again in your account settings.</p>',
        `<form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
      ],
      true,
    );
  }

  @Post()
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({
    summary: 'One-click unsubscribe (RFC 8058): notification mail stops (emailNotifications: off)',
    description: 'No session or Origin needed. Answers JSON when asked for it, else a short HTML page.',
  })
  @ApiQuery({ name: 'token', required: true })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: UnsubscribedDto })
  @ApiNotFoundResponse({ description: 'The token names nobody' })
  async unsubscribe(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const done = typeof token === 'string' && TOKEN.test(token) && (await this.accounts.unsubscribe(token));
    const json = req.accepts(['html', 'json']) === 'json';
    if (!done) {
      if (json)
        res.status(404).json({ statusCode: 404, error: 'not_found', message: 'This unsubscribe link is unknown.' });
      else sendPage(res, 404, 'Unknown link', ['This unsubscribe link is unknown or out of date.']);
      return;
    }
    if (json) res.status(200).json({ emailNotifications: 'off' });
    else sendPage(res, 200, 'Unsubscribed', ['You will get no more notification mail from the essay forum.']);
  }
}

/** A tiny HTML page; `parts` are HTML (escape what they hold) unless `raw` is false, then plain text. */
function sendPage(res: Response, status: number, title: string, parts: string[], raw = false): void {
  const body = parts.map((part) => (raw ? part : `<p>${escapeHtml(part)}</p>`)).join('\n');
  res
    .status(status)
    .set({ 'Content-Security-Policy': PAGE_POLICY, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    .type('html')
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`,
    );
}
