import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type CookieOptions, type Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { PasswordRateLimited, RateLimited } from '../common/rate-limit/rate-limit.js';
import { UserDto } from '../users/dto/user.dto.js';
import { AuthService } from './auth.service.js';
import { AccountService } from './account.service.js';
import {
  ChangePasswordDto,
  PasswordResetConfirmDto,
  PasswordResetDto,
  TokenDto,
  UpdateMeDto,
  UserAccountDto,
} from './dto/account.dto.js';
import { AuthResultDto, ChangeRoleDto, LoginDto, MeDto, RegisterDto } from './dto/auth.dto.js';
import { type AuthenticatedRequest, SESSION_COOKIE } from './request-context.js';
import { SignedIn } from './signed-in.guard.js';
import { CurrentViewer, type Viewer } from './viewer.js';

@ApiTags('accounts')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountService,
    private readonly config: AppConfig,
  ) {}

  @Post('auth/register')
  @PasswordRateLimited()
  @ApiOperation({ summary: 'Create an account and sign in' })
  @ApiCreatedResponse({ type: AuthResultDto })
  @ApiErrorResponses(400, 409, 429, 503)
  async register(
    @Body() body: RegisterDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResultDto> {
    const result = await this.auth.register(body);
    res.cookie(SESSION_COOKIE, result.token, this.cookieOptions(req));
    return result;
  }

  @Post('auth/login')
  @HttpCode(200)
  @PasswordRateLimited()
  @ApiOperation({ summary: 'Sign in' })
  @ApiOkResponse({ type: AuthResultDto })
  @ApiErrorResponses(400, 401, 429, 503)
  async login(
    @Body() body: LoginDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResultDto> {
    const result = await this.auth.login(body);
    res.cookie(SESSION_COOKIE, result.token, this.cookieOptions(req));
    return result;
  }

  @Post('auth/logout')
  @HttpCode(204)
  @SignedIn()
  @ApiOperation({ summary: 'Sign out: the token stops working at once' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403)
  async logout(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { ...this.cookieOptions(req), maxAge: undefined });
  }

  @Post('auth/sessions')
  @SignedIn()
  @PasswordRateLimited()
  @ApiOperation({
    summary: 'Open another session for yourself, with a token of its own',
    description:
      'For the sign-in popup of an embedded discussion, which hands the token to its frame: a frame on another ' +
      'site cannot rely on the session cookie. The new session lasts as long as a sign-in’s and ends on its own ' +
      'logout; as for every cookie write, a request with the cookie must come from one of the forum’s own pages.',
  })
  @ApiCreatedResponse({ type: AuthResultDto })
  @ApiErrorResponses(401, 403, 429)
  openSession(@CurrentViewer() viewer: Viewer): Promise<AuthResultDto> {
    return this.auth.openAnotherSession(viewer);
  }

  @Get('auth/me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrorResponses(401)
  async me(@Req() req: AuthenticatedRequest): Promise<MeDto> {
    return this.auth.me(req.sessionToken);
  }

  @Patch('auth/me')
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Change your display name, e-mail address or notification setting',
    description:
      'A new address replaces the old one at once, unverified, and a verification link is mailed to it (earlier links ' +
      'stop working). An address that another account has verified: 409.',
  })
  @ApiOkResponse({ type: UserAccountDto })
  @ApiErrorResponses(400, 401, 403, 409, 429)
  updateMe(@Body() body: UpdateMeDto, @CurrentViewer() viewer: Viewer): Promise<UserAccountDto> {
    return this.accounts.update(viewer, body);
  }

  @Post('auth/verify-email')
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({ summary: 'Verify an e-mail address with the mailed link’s token (no session needed)' })
  @ApiOkResponse({ type: UserAccountDto })
  @ApiErrorResponses(400, 409, 429)
  verifyEmail(@Body() body: TokenDto): Promise<UserAccountDto> {
    return this.accounts.verifyEmail(body.token);
  }

  @Post('auth/verify-email/resend')
  @HttpCode(202)
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Mail the verification link again to your unverified address',
    description:
      'The earlier link stops working. No address: 400; already verified: 409; more than 3 an hour: 429 (a mail that ' +
      'went astray, not a way to fill an inbox).',
  })
  @ApiAcceptedResponse()
  @ApiErrorResponses(400, 401, 409, 429)
  async resendVerification(@CurrentViewer() viewer: Viewer): Promise<void> {
    await this.accounts.resendVerification(viewer);
  }

  @Post('auth/password')
  @HttpCode(204)
  @SignedIn()
  @PasswordRateLimited()
  @ApiOperation({ summary: 'Change your password: every other session of yours ends' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 401, 403, 429, 503)
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentViewer() viewer: Viewer,
    @Req() req: AuthenticatedRequest,
  ): Promise<void> {
    await this.accounts.changePassword(viewer, req.sessionToken, body);
  }

  @Post('auth/password-reset')
  @HttpCode(202)
  @PasswordRateLimited()
  @ApiOperation({
    summary: 'Ask for a password reset link',
    description:
      'Always 202, whether or not the address is known: a verified address gets a link valid one hour, usable once.',
  })
  @ApiAcceptedResponse()
  @ApiErrorResponses(400, 429)
  async requestPasswordReset(@Body() body: PasswordResetDto): Promise<void> {
    await this.accounts.requestPasswordReset(body.email);
  }

  @Post('auth/password-reset/confirm')
  @HttpCode(204)
  @PasswordRateLimited()
  @ApiOperation({ summary: 'Set a new password with a reset link’s token: every session of the user ends' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 429, 503)
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    await this.accounts.confirmPasswordReset(body);
  }

  @Patch('admin/users/:id')
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Change a user’s role (admin)' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async changeRole(
    @Param('id') id: string,
    @Body() body: ChangeRoleDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ user: UserDto }> {
    return { user: await this.auth.changeRole(viewer, id, body.role) };
  }

  private cookieOptions(req: AuthenticatedRequest): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: this.config.sessionTtlHours * 3_600_000,
    };
  }
}
