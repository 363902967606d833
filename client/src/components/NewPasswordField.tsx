import { PASSWORD_MAX, PASSWORD_MIN } from '../api.js';

/** The "new password" field of the account page and the reset page: the server's rule shown before it refuses. */
export function NewPasswordField({
  name,
  value,
  onInput,
}: {
  name: string;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <label>
      <span>
        New password <span class="hint">(at least {PASSWORD_MIN} characters)</span>
      </span>
      <input
        name={name}
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        maxLength={PASSWORD_MAX}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </label>
  );
}
