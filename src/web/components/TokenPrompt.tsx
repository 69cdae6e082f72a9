/** The read-token prompt: a modal form shown when the server answers 401, until a token it accepts is given. */
import { type FormEvent, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { TokenGate } from '../lib/auth.js';

export function TokenPrompt({ gate }: { gate: TokenGate }) {
  const state = useSyncExternalStore(
    (listener) => gate.subscribe(listener),
    () => gate.snapshot(),
  );
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [blank, setBlank] = useState(false);
  const open = state.prompt !== null;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    // showModal makes the rest of the page inert and traps focus, as a modal must.
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
    if (open) {
      if (input.current) input.current.value = '';
      input.current?.focus();
    }
  }, [open]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const accepted = gate.submit(input.current?.value ?? '');
    setBlank(!accepted);
    if (!accepted) input.current?.focus();
  };

  const problem = blank ? 'Enter a token.' : state.prompt === 'rejected' ? 'That token was not accepted. Check it and try again.' : null;
  return (
    <dialog
      ref={dialog}
      className="token-dialog"
      aria-labelledby="token-title"
      aria-describedby="token-help"
      // Escape would leave the dashboard without data; the prompt stays until a token is given.
      onCancel={(event) => event.preventDefault()}
    >
      <form className="token-form" onSubmit={onSubmit} noValidate>
        <h2 id="token-title">This Vigil server needs a read token</h2>
        <p id="token-help" className="muted">
          Ask whoever runs Vigil for a token with the read scope. It is kept in this browser tab only, until it closes.
        </p>
        <label htmlFor="token-input">Token</label>
        <input
          id="token-input"
          ref={input}
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-errormessage={problem !== null ? 'token-problem' : undefined}
        />
        {problem !== null ? (
          <p id="token-problem" className="token-problem" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="token-actions">
          <button type="submit" className="button">
            Submit
          </button>
        </div>
      </form>
    </dialog>
  );
}
