import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MaxCodePoints, NoHiddenCharacters } from '../../common/validation.js';
import { UserDto } from '../../users/dto/user.dto.js';
import { USER_ROLES, type UserRole } from '../../users/user.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_-]{3,32}$' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{3,32}$/, { message: 'username must be 3-32 characters of A-Z, a-z, 0-9, _ and -' })
  username: string;

  @ApiProperty({ minLength: 8, maxLength: 256 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 64,
    description: 'Shown beside your comments. No invisible, formatting (zero-width, bidi) or control characters.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxCodePoints(64)
  @NoHiddenCharacters()
  displayName?: string;
}

export class LoginDto {
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  username: string;

  @ApiProperty()
  @IsString()
  @MaxLength(256)
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

  @ApiProperty({ type: OwnBanDto, nullable: true, description: 'Set while this user is banned: they may read, not write.' })
  ban: OwnBanDto | null;

  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>`' })
  token: string;
}

export class MeDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: OwnBanDto, nullable: true, description: 'Set while this user is banned: they may read, not write.' })
  ban: OwnBanDto | null;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role: UserRole;
}
