import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  DISPLAY_NAME_MAX,
  LOGIN_USERNAME_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  USERNAME_MAX,
  USERNAME_CHARACTERS,
  USERNAME_MIN,
  USERNAME_PATTERN,
} from '../../common/limits.js';
import { MaxCodePoints, NoHiddenCharacters } from '../../common/validation.js';
import { UserDto } from '../../users/dto/user.dto.js';
import { USER_ROLES, type UserRole } from '../../users/user.entity.js';
import { AccountDto } from './account.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ minLength: USERNAME_MIN, maxLength: USERNAME_MAX, pattern: USERNAME_PATTERN })
  @IsString()
  @Matches(new RegExp(USERNAME_PATTERN), {
    message: `username must be ${USERNAME_MIN}-${USERNAME_MAX} characters of ${USERNAME_CHARACTERS}`,
  })
  username: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: DISPLAY_NAME_MAX,
    description: 'Shown beside your comments. No invisible, formatting (zero-width, bidi) or control characters.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxCodePoints(DISPLAY_NAME_MAX)
  @NoHiddenCharacters()
  displayName?: string;
}

export class LoginDto {
  @ApiProperty()
  @IsString()
  @MaxLength(LOGIN_USERNAME_MAX)
  username: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password: string;
}

/** The signed-in user's own ban, while one is in force: shown to them alone. */
export class OwnBanDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: a ban without end' })
  until: string | null;

  @ApiProperty()
  reason: string;
}

export class AuthResultDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({
    type: OwnBanDto,
    nullable: true,
    description: 'Set while this user is banned: they may read, not write.',
  })
  ban: OwnBanDto | null;

  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>`' })
  token: string;

  @ApiProperty({ type: AccountDto, description: 'Your own settings: nobody else ever sees them.' })
  account: AccountDto;
}

export class MeDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({
    type: OwnBanDto,
    nullable: true,
    description: 'Set while this user is banned: they may read, not write.',
  })
  ban: OwnBanDto | null;

  @ApiProperty({ type: AccountDto, description: 'Your own settings: nobody else ever sees them.' })
  account: AccountDto;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role: UserRole;
}
