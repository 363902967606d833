import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  DISPLAY_NAME_MAX,
  EMAIL_MAX,
  EMAIL_NOTIFICATIONS,
  type EmailNotifications,
  PASSWORD_MAX,
  PASSWORD_MIN,
} from '../../common/limits.js';
import { MaxCodePoints, NoHiddenCharacters, OptionalNotNull } from '../../common/validation.js';
import { UserDto } from '../../users/dto/user.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const TOKEN_MESSAGE = 'token must be the token of the link we mailed';

/** The user's own settings: answered to them alone (me, sign-in, register, PATCH me), never to anyone else. */
export class AccountDto {
  @ApiProperty({ type: String, nullable: true, example: 'reader@example.org' })
  email: string | null;

  @ApiProperty({ description: 'The address received our link and it was used. Only a verified address gets mail.' })
  emailVerified: boolean;

  @ApiProperty({ enum: EMAIL_NOTIFICATIONS, description: 'How notifications reach a verified address by mail.' })
  emailNotifications: EmailNotifications;
}

export class UserAccountDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: AccountDto })
  account: AccountDto;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: DISPLAY_NAME_MAX })
  @OptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxCodePoints(DISPLAY_NAME_MAX)
  @NoHiddenCharacters()
  displayName?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: EMAIL_MAX,
    description:
      'A new address replaces the old one at once, unverified, and a link to verify it is mailed to it; null removes it.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(EMAIL_MAX)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false, require_tld: true })
  email?: string | null;

  @ApiPropertyOptional({ enum: EMAIL_NOTIFICATIONS })
  @OptionalNotNull()
  @IsIn(EMAIL_NOTIFICATIONS)
  emailNotifications?: EmailNotifications;
}

export class TokenDto {
  @ApiProperty({ description: 'The token of the link we mailed' })
  @IsString()
  @Matches(TOKEN, { message: TOKEN_MESSAGE })
  token: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX)
  currentPassword: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  newPassword: string;
}

export class PasswordResetDto {
  @ApiProperty({ maxLength: EMAIL_MAX })
  @Transform(trim)
  @IsString()
  @MaxLength(EMAIL_MAX)
  @IsEmail()
  email: string;
}

export class PasswordResetConfirmDto extends TokenDto {
  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class UnsubscribedDto {
  @ApiProperty({ enum: ['off'] })
  emailNotifications: 'off';
}

export function toAccountDto(user: {
  email: string | null;
  emailVerified: boolean;
  emailNotifications: EmailNotifications;
}): AccountDto {
  return { email: user.email, emailVerified: user.emailVerified, emailNotifications: user.emailNotifications };
}
