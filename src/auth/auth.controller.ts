import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CookieOptions, type Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { PasswordRateLimited, RateLimited } from '../common/rate-limit/rate-limit.js';
import { UserDto } from '../users/dto/user.dto.js';
import { AuthService } from './auth.service.js';
import { AuthResultDto, ChangeRoleDto, LoginDto, MeDto, RegisterDto } from './dto/auth.dto.js';
import { type AuthenticatedRequest, SESSION_COOKIE } from './request-context.js';
import { SignedIn } from './signed-in.guard.js';
import { CurrentViewer, type Viewer } from './viewer.js';

@ApiTags('accounts')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
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

  @Get('auth/me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrorResponses(401)
  async me(@Req() req: AuthenticatedRequest): Promise<MeDto> {
    return this.auth.me(req.sessionToken);
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
