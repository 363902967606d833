import { Body, Controller, Delete, Get, HttpCode, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type AuthenticatedRequest, SESSION_COOKIE } from '../auth/request-context.js';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { PasswordRateLimited, RateLimited } from '../common/rate-limit/rate-limit.js';
import { AccountDataService } from './account-data.service.js';
import { AccountExportDto, DeleteAccountDto } from './dto/account-data.dto.js';

@ApiTags('accounts')
@Controller('auth/me')
export class AccountDataController {
  constructor(private readonly accountData: AccountDataService) {}

  @Get('export')
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Download everything the forum holds about you, as a JSON file',
    description:
      'Your account, your comments with every earlier version, your votes, the reports you filed, your notifications ' +
      'and what you follow, read in one consistent snapshot.',
  })
  @ApiOkResponse({ type: AccountExportDto })
  @ApiErrorResponses(401, 429)
  async export(@CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) res: Response): Promise<AccountExportDto> {
    const data = await this.accountData.export(viewer);
    res.setHeader('Content-Disposition', `attachment; filename="essay-forum-${data.user.username}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    return data;
  }

  @Delete()
  @HttpCode(204)
  @SignedIn()
  @PasswordRateLimited()
  @ApiOperation({
    summary: 'Delete your account, given your password',
    description:
      'In one step: every session ends; your comments become deleted placeholders (their text and history erased, ' +
      'replies kept in place); your votes are withdrawn; your follows and notifications go. Your username stays ' +
      'taken and your profile is gone. A wrong password: 401, and nothing changes. The last admin cannot delete ' +
      'their account (409).',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 401, 409, 429, 503)
  async delete(
    @Body() body: DeleteAccountDto,
    @CurrentViewer() viewer: Viewer,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.accountData.deleteAccount(viewer, body.password);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.secure });
  }
}
