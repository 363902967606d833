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
  TIME_ZONE_MAX,
} from '../../common/limits.js';
import { timeZoneName } from '../../common/time-zones.js';
import { IsTimeZone, MaxCodePoints, NoHiddenCharacters, OptionalNotNull } from '../../common/validation.js';
import { UserDto } from '../../users/dto/user.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** A time zone in the form it is stored (`europe/paris` becomes `Europe/Paris`); anything else is left for IsTimeZone. */
const toTimeZone = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (timeZoneName(value.trim()) ?? value) : value;
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

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Europe/Paris',
    description: 'The IANA time zone the daily digest is timed by (it comes at DIGEST_HOUR there); null: UTC.',
  })
  timeZone: string | null;
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

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: TIME_ZONE_MAX,
    example: 'Europe/Paris',
    description:
      'An IANA time zone (an alias such as Asia/Kolkata too; the case is corrected): the daily digest comes at DIGEST_HOUR there. null: UTC.',
  })
  @IsOptional()
  @Transform(toTimeZone)
  @IsString()
  @MaxLength(TIME_ZONE_MAX)
  @IsTimeZone()
  timeZone?: string | null;
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
  timeZone: string | null;
}): AccountDto {
  return {
    email: user.email,
    emailVerified: user.emailVerified,
    emailNotifications: user.emailNotifications,
    timeZone: user.timeZone,
  };
}
